# The silo image for docker-compose.yml. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Resilience.Silo.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown app /data
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Resilience__DataDirectory=/data
VOLUME /data
EXPOSE 8080 1883
USER app
ENTRYPOINT ["dotnet", "Resilience.Silo.dll"]
