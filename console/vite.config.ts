/// <reference types="vitest/config" />
import vue from "@vitejs/plugin-vue";
import AutoImport from "unplugin-auto-import/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";
import Components from "unplugin-vue-components/vite";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Element Plus components (and their styles) are imported where used, not wholesale, so the
// first load stays small; pages load on demand (see src/router.ts).
export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver({ importStyle: "css" })], dts: false }),
  ],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "happy-dom",
    include: ["tests/unit/**/*.spec.ts"],
    // Element Plus imports its style sheets; let Vite handle them in tests as in the build.
    server: { deps: { inline: ["element-plus"] } },
  },
});
