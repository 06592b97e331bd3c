# The hotline app. Build: docker compose build (or docker build -t hotline:local .)
FROM node:20-bookworm-slim AS build
WORKDIR /opt/hotline
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /opt/hotline
ENV NODE_ENV=production
COPY --from=build /opt/hotline/package.json ./
COPY --from=build /opt/hotline/node_modules ./node_modules
COPY --from=build /opt/hotline/dist ./dist
# Defaults; docker-compose.yml mounts the deployment's config, flows and prompts over them.
COPY config ./config
COPY ivr-flows ./ivr-flows
COPY prompts ./prompts
RUN mkdir -p /var/lib/hotline && chown node:node /var/lib/hotline
USER node
EXPOSE 8080
CMD ["node", "dist/cli/main.js", "serve"]
