// Until core/simulation.ts stops importing core/config/load-config.ts (issue 10), the page's type check meets
// that Node-only module; these shorthand declarations let it pass. The bundle stubs load-config out
// (playground/build.ts) and fails on any other node: import, so nothing Node-only reaches the page.
declare module 'node:fs';
declare module 'node:path';
declare module 'node:url';
