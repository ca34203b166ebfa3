// A .ts config in a folder whose package.json has no "type": "module" (the CLI says what to change).
import { defineConfig, esp32c3 } from 'soc-fabric';
export default defineConfig({ targets: [esp32c3], defaultTarget: 'esp32c3' });
