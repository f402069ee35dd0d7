# Mamori: a multi-stage image. The build stage compiles src/ to dist/ (npm run build); the runtime stage has
# only production dependencies and dist/, runs as the unprivileged `node` user, and reports health from
# /readyz. Not built in CI here (no container runtime on the CI machine): docs/operations.md#containers.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
# Readiness, not liveness: a draining instance (after SIGTERM) reports unhealthy at once.
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains: /readyz answers 503 for SHUTDOWN_DELAY_SECONDS, then in-flight work finishes.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
