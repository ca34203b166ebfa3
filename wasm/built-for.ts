/** Prefix of the export naming the target a program was built for (`soc-fabric cc --target`). */
export const BUILT_FOR = '__sf_built_for_';
