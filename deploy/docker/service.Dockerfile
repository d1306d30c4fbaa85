# syntax=docker/dockerfile:1
# Every CreditRisk service's image, built from the repository root:
#   docker build -f deploy/docker/service.Dockerfile --build-arg PROJECT=services/Scoring/CreditRisk.Scoring.csproj \
#     --build-arg ASSEMBLY=CreditRisk.Scoring --build-arg HTTP_PORT=5050 -t creditrisk/scoring .
# docker-compose.yml builds each service so. Configuration comes from the environment only.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
COPY . .
RUN dotnet publish "$PROJECT" -c Release -o /app --nologo -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG ASSEMBLY
ARG HTTP_PORT
ENV SERVICE_ASSEMBLY=${ASSEMBLY}.dll HEALTH_PORT=${HTTP_PORT} DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /app
COPY --from=build /app .
# /data: where a service keeps files (the registry's artifacts), a volume owned by the unprivileged user.
RUN mkdir -p /data && chown "$APP_UID" /data
# The images' unprivileged user (uid 1654); the service writes nothing outside mounted volumes.
USER $APP_UID
# Ready = the service's own /health/ready on its HTTP endpoint (no curl in the image: bash's /dev/tcp).
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/$HEALTH_PORT && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\""]
