namespace Portal.Features.Cluster;

/// <summary>The work that runs on one instance at a time, each under its own lease.</summary>
public static class LeaseNames
{
    public const string Rollouts = "rollouts";
    public const string TelemetryMaintenance = "telemetry-maintenance";
    public const string DeviceDataMaintenance = "device-data-maintenance";
    public const string AuditRetention = "audit-retention";
    public const string OfflineDetection = "offline-detection";
    public const string DeviceActions = "device-actions";
    public const string Notifications = "notifications";
    public const string Alerts = "alerts";
    public const string ModelMonitoring = "model-monitoring";
}
