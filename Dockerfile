# syntax=docker/dockerfile:1
# Production image: the gateway alone (no mocks, no embedded PostgreSQL). Configure it with the
# variables in docs/CONFIGURATION.md; NODE_ENV=production refuses to start without real settings.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY client/package.json client/package.json
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src src
COPY migrations migrations
COPY bench bench
RUN npm run build && npm prune --omit=dev --workspaces=false

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8447
WORKDIR /app
RUN groupadd --system gateway && useradd --system --gid gateway --home-dir /app --shell /usr/sbin/nologin gateway
COPY --from=build --chown=gateway:gateway /app/package.json ./package.json
COPY --from=build --chown=gateway:gateway /app/node_modules ./node_modules
COPY --from=build --chown=gateway:gateway /app/dist ./dist
USER gateway
EXPOSE 8447
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||8447)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
