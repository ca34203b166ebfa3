// A config with a syntax error on line 3 (the CLI names file, line and reason).
import { defineConfig } from 'soc-fabric';
export default defineConfig({ targets: [ });
