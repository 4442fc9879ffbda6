using Portal.Features.Compose;
using Portal.Shared.Workloads;

namespace Portal.Tests.Compose;

public sealed class ComposeParserAcceptsTests
{
    private const string Full = """
        name: telemetry
        version: "3.9"
        services:
          db:
            image: influxdb:2.7
            environment:
              DOCKER_INFLUXDB_INIT_MODE: setup
              RETENTION: "7d"
            volumes:
              - influx:/var/lib/influxdb2
              - ./config:/etc/influxdb2:ro
            healthcheck:
              test: ["CMD", "influx", "ping"]
              interval: 5s
              timeout: 2s
              retries: 5
              start_period: 1m30s
            restart: always
            labels:
              - com.example.role=db
          web:
            image: grafana/grafana:11.0.0
            command: grafana server --config /etc/grafana.ini
            entrypoint: ["/run.sh"]
            environment:
              - GF_SECURITY_ADMIN_USER=admin
              - EMPTY=
            env_file: app.env
            ports:
              - "3000:3000"
              - "8125/udp"
              - target: 9000
                published: 19000
            depends_on:
              db:
                condition: service_healthy
            network_mode: host
            devices:
              - /dev/ttyUSB0:/dev/ttyUSB0
            deploy:
              resources:
                limits:
                  cpus: "0.5"
                  memory: 512m
                reservations:
                  devices:
                    - driver: nvidia
                      count: 1
                      capabilities: [gpu]
            labels:
              com.example.role: ui
        volumes:
          influx:
        x-notes: anything
        """;

    [Fact]
    public void Parse_ReadsEverySupportedKey()
    {
        var app = ComposeParser.Parse(Full);

        Assert.Equal(["db", "web"], app.Services.Select(s => s.Name));
        Assert.Equal(["influx"], app.Volumes);
        var db = app.Services[0];
        Assert.Equal("influxdb:2.7", db.Image);
        Assert.Equal("7d", db.Environment["RETENTION"]);
        Assert.Equal([new ComposeVolume("influx", "/var/lib/influxdb2", false, false), new ComposeVolume("./config", "/etc/influxdb2", true, true)], db.Volumes);
        Assert.Equal(["CMD", "influx", "ping"], db.HealthCheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(5), db.HealthCheck.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), db.HealthCheck.Timeout);
        Assert.Equal(5, db.HealthCheck.Retries);
        Assert.Equal(TimeSpan.FromSeconds(90), db.HealthCheck.StartPeriod);
        Assert.Equal("always", db.Restart);
        Assert.Equal("bridge", db.NetworkMode);
        Assert.Equal("db", db.Labels["com.example.role"]);

        var web = app.Services[1];
        Assert.Equal(["grafana", "server", "--config", "/etc/grafana.ini"], web.Command);
        Assert.Equal(["/run.sh"], web.Entrypoint);
        Assert.Equal("admin", web.Environment["GF_SECURITY_ADMIN_USER"]);
        Assert.Equal("", web.Environment["EMPTY"]);
        Assert.Equal(["app.env"], web.EnvFiles);
        Assert.Equal([new PortMapping(3000, 3000), new PortMapping(8125, 8125, "udp"), new PortMapping(9000, 19000)], web.Ports);
        Assert.Equal([new ServiceDependency("db", DependencyCondition.ServiceHealthy)], web.DependsOn);
        Assert.Equal("host", web.NetworkMode);
        Assert.Equal(["/dev/ttyUSB0:/dev/ttyUSB0"], app.Devices);
        Assert.Equal(new ResourceLimits(0.5, 512L << 20, Gpu: true), web.Limits);
        Assert.Equal("ui", web.Labels["com.example.role"]);
    }

    [Fact]
    public void Parse_DependsOnAsAList_MeansStarted()
    {
        var app = ComposeParser.Parse("""
            services:
              a:
                image: x
                depends_on: [b]
              b:
                image: y
                healthcheck:
                  test: wget -q -O- http://127.0.0.1/
                  disable: false
            """);

        Assert.Equal([new ServiceDependency("b", DependencyCondition.ServiceStarted)], app.Services[0].DependsOn);
        Assert.Equal(["CMD-SHELL", "wget -q -O- http://127.0.0.1/"], app.Services[1].HealthCheck!.Test);
        Assert.Equal("unless-stopped", app.Services[0].Restart);
    }

    [Fact]
    public void Parse_PrivilegedFalse_IsAccepted()
    {
        var app = ComposeParser.Parse("services:\n  a:\n    image: x\n    privileged: false\n");

        Assert.Single(app.Services);
    }
}
