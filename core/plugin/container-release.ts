import { Plugin, type PluginApi, type PluginContext } from '@inversifyjs/plugin';
import type { Container } from 'inversify';

/**
 * Lets a disposed simulation's container let go of everything it resolved.
 *
 * inversify's planner keeps a WeakRef to each service node it plans (PlanSingleBindingServiceNode) and to
 * binding nodes waiting for activations (WeakList). A WeakRef keeps its target alive until the host's current
 * job ends, and a job that creates and disposes simulations in a loop without yielding never ends: the nodes,
 * their bindings and the singletons cached in those bindings (kernel, memory, every plugin service) pile up.
 * On dispose this drops what the bindings cache and hold (resolved singletons, constant values, factories),
 * empties the plan cache and unbinds everything, so that what the WeakRefs keep alive is a few empty shells.
 */
class ReleaseHandle extends Plugin<Container> {
  constructor(container: Container, context: PluginContext) {
    super(container, context);
    contexts.set(container, context);
  }

  load(_api: PluginApi): void {
    /* nothing to add to the container */
  }
}

/** The plugin context of each container registered by `trackContainer` (weak: a collected container leaves). */
const contexts = new WeakMap<Container, PluginContext>();

/** Registers the release handle on a new container (before anything is bound). */
export function trackContainer(container: Container): void {
  container.register(ReleaseHandle);
}

/** Drops every cached value and binding of `container` (a disposed simulation's). */
export function releaseContainer(container: Container): void {
  const ctx = contexts.get(container);
  if (ctx) {
    const ids = [...ctx.bindingService.getNonParentBoundServices()];
    for (const id of ids) {
      for (const b of ctx.bindingService.getNonParentBindings(id) ?? []) {
        const binding = b as unknown as Record<string, unknown>;
        if ('cache' in binding) binding.cache = { isRight: false, value: undefined };
        // constant values, factories and the classes' metadata would keep the simulation too
        for (const k of ['value', 'factory', 'provider', 'implementationType', 'onActivation', 'onDeactivation']) {
          if (k in binding) binding[k] = undefined;
        }
      }
    }
    ctx.planResultCacheService.clearCache();
    contexts.delete(container);
  }
  try {
    container.unbindAll();
  } catch {
    /* deactivation hooks of a half-built container: nothing left to free */
  }
}
