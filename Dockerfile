# syntax=docker/dockerfile:1
# Vigil's image: one image for every process — `vigil ingest|detect|correlate|api` in a
# cluster (docker-compose.yml), or `vigil start` all-in-one. Built in stages so the
# runtime holds only production dependencies, the TypeScript sources that tsx runs, the
# rule library and the console Vite built; compilers stay in the build stages.
# test/deploy/compose.test.ts checks this file (pinned bases, COPY sources, non-root).

# Node 22 LTS; the tests run on Node 20+ (package.json "engines").
ARG NODE_IMAGE=node:22.22.2-bookworm-slim

# 1. Production dependencies. better-sqlite3 (the embedded adapters) is native: its
#    prebuilt binary is used when one matches, and built with these tools when not.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 2. The console, built once here (vite and its React plugin are production
#    dependencies of the package, so step 1's node_modules is all it needs).
FROM ${NODE_IMAGE} AS console
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY ui ./ui
RUN npx vite build --config ui/vite.config.ts

# 3. The runtime: sources, rules, the built console; runs as the image's `node` user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    VIGIL_HOST=0.0.0.0 \
    VIGIL_DATA_DIR=/var/lib/vigil
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY core ./core
COPY ingest ./ingest
COPY detect ./detect
COPY api ./api
COPY notify ./notify
COPY agent ./agent
COPY report ./report
COPY simulate ./simulate
COPY rules ./rules
COPY --from=console /app/ui/dist ./ui/dist
# Only the data directory is writable, and only by the unprivileged user. In a cluster
# nothing in it outlives the container (state lives in Kafka and the search cluster).
RUN mkdir -p /var/lib/vigil && chown node:node /var/lib/vigil
USER node
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "bin/vigil.ts"]
CMD ["start"]
