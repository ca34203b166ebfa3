import { defineConfig, esp32c3 } from 'soc-fabric';

export default defineConfig({ targets: [{ ...esp32c3, cpu: { freqHz: 0 } }] });
