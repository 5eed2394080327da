# bench as a container: the image `bench k8s` runs (one pod per load segment), usable anywhere else too.
#   docker build -t slo-bench:latest .
#   docker run --rm -v "$PWD:/work" -w /work slo-bench:latest run scenarios/demo.yml --target http://host:3000
# For a cluster: push it to a registry the nodes pull from (then `bench k8s … --image <registry>/slo-bench:<tag>`),
# or load it into a local cluster (`kind load docker-image slo-bench:latest`).

FROM node:24-slim AS build
WORKDIR /app
# Dependencies first, so editing the source does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf src tsconfig*.json \
 # folders the CLI reads at run time; created empty if the checkout has none yet
 && mkdir -p schema scenarios

FROM node:24-slim
ENV NODE_ENV=production NO_COLOR=1
WORKDIR /app
COPY --from=build /app /app
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
# (node:24-slim also has `tar`, which `kubectl cp` needs to copy the results out of a pod.)
USER 1000
ENTRYPOINT ["node", "/app/bin/bench.js"]
