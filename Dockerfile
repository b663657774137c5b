# syntax=docker/dockerfile:1
# One image per service from the same build: `docker build --build-arg SERVICE=consent .`
# (docker-compose.yml builds the five). Standalone mode: SERVICE=standalone (it serves the console too).
# The gateway image (nginx with the built console): `docker build --target gateway .`

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# `npm ci` rejects this lockfile (it lacks other platforms' optional binaries): npm install keeps it.
COPY . .
RUN npm install --no-audit --no-fund \
 && NX_DAEMON=false npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM nginx:1.27-alpine AS gateway
COPY deploy/gateway/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /app/apps/console/dist /usr/share/nginx/html

FROM node:20.20-bookworm-slim AS runtime
ARG SERVICE=offer
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
# Workspace packages resolve through node_modules/@dap/* symlinks to these folders (their dist/).
COPY --from=build /app/libs ./libs
COPY --from=build /app/services ./services
# The standalone process serves the built console at `/`.
COPY --from=build /app/apps/console/dist ./apps/console/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec: node is PID 1's only child of sh no more, so SIGTERM reaches it and shutdown hooks run.
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
