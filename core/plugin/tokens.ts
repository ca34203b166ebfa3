import type { ServiceIdentifier } from 'inversify';

export type { ServiceIdentifier };

const contributionPoints = new Set<symbol>();

/** A service token: one plugin binds it, anyone injects it. The name appears in error messages. */
export function defineToken<T>(name: string): ServiceIdentifier<T> {
  return Symbol(name) as ServiceIdentifier<T>;
}

/**
 * A contribution point: many plugins bind the token, its owner receives them all by multi-injection
 * (`@multiInject(Token, { optional: true })` or `container.getAll`), as Theia's ContributionProviders do.
 */
export function defineContributionPoint<T>(name: string): ServiceIdentifier<T> {
  const s = Symbol(name);
  contributionPoints.add(s);
  return s as ServiceIdentifier<T>;
}

export function isContributionPoint(token: ServiceIdentifier<unknown>): boolean {
  return typeof token === 'symbol' && contributionPoints.has(token);
}

/** A token's readable name for messages. */
export function tokenName(token: ServiceIdentifier<unknown>): string {
  if (typeof token === 'symbol') return token.description ?? token.toString();
  if (typeof token === 'function') return token.name;
  return String(token);
}
