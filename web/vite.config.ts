import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The platform (`fomo up`) serves the read API (/api), the gateway (/v1) and a JSON-RPC proxy
// (/rpc) on one port; in development Vite forwards those paths to it so the app stays same-origin.
const platform = process.env.FOMO_PLATFORM_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api/": { target: platform, changeOrigin: false },
      "/v1/": { target: platform, changeOrigin: false },
      "/rpc": { target: platform, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
});
