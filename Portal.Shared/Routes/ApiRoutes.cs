namespace Portal.Shared.Routes;

/// <summary>REST routes shared by the portal, the agent and scripts. Keep them stable: users depend on them.</summary>
public static class ApiRoutes
{
    public const string Prefix = "/api/v1";
    public const string Auth = Prefix + "/auth";
    public const string Login = Auth + "/login";
    public const string Users = Prefix + "/users";

    public const string EnrollmentTokens = Prefix + "/enrollment-tokens";
    public const string AgentEnroll = Prefix + "/agent/enroll";
    public const string Devices = Prefix + "/devices";

    /// <summary>The portal instances sharing the database and who holds each lease (admins).</summary>
    public const string Cluster = Prefix + "/cluster";

    /// <summary>Notification channels (e-mail, webhook, MQTT): alert rules route to them, and each may subscribe to fleet events.</summary>
    public const string NotificationChannels = Prefix + "/notification-channels";

    public static string NotificationChannel(string id) => $"{NotificationChannels}/{Uri.EscapeDataString(id)}";

    /// <summary>GET: the channel's latest deliveries with their attempts, newest first.</summary>
    public static string NotificationChannelDeliveries(string id) => $"{NotificationChannel(id)}/deliveries";

    /// <summary>POST: sends a test notification through the channel now.</summary>
    public static string NotificationChannelTest(string id) => $"{NotificationChannel(id)}/test";

    /// <summary>POST: renews a webhook channel's signing secret, shown once.</summary>
    public static string NotificationChannelSecret(string id) => $"{NotificationChannel(id)}/secret";

    /// <summary>Alert rules (GET, POST; GET, PUT, DELETE one).</summary>
    public const string AlertRules = Prefix + "/alert-rules";

    public static string AlertRule(string id) => $"{AlertRules}/{Uri.EscapeDataString(id)}";

    /// <summary>GET <c>?state=&amp;severity=&amp;ruleId=&amp;deviceId=&amp;count=</c>: alerts, firing first.</summary>
    public const string Alerts = Prefix + "/alerts";

    public static string Alert(long id) => $"{Alerts}/{id}";

    /// <summary>POST: acknowledges an alert with a note.</summary>
    public static string AlertAck(long id) => $"{Alert(id)}/ack";

    /// <summary>GET: how many alerts fire, and how many of those nobody acknowledged.</summary>
    public const string AlertCounts = Alerts + "/counts";

    /// <summary>Silences (GET, POST; DELETE one ends it now).</summary>
    public const string AlertSilences = Prefix + "/alert-silences";

    public static string AlertSilence(string id) => $"{AlertSilences}/{Uri.EscapeDataString(id)}";

    /// <summary>The SignalR hub agents connect to, authenticated by their device secret.</summary>
    public const string AgentHub = "/hubs/agent";

    public static string EnrollmentToken(string id) => $"{EnrollmentTokens}/{Uri.EscapeDataString(id)}";

    public static string Device(string id) => $"{Devices}/{Uri.EscapeDataString(id)}";

    public const string Groups = Prefix + "/groups";

    public static string Group(string id) => $"{Groups}/{Uri.EscapeDataString(id)}";

    /// <summary>GET: the deployments that target the group and what each device would lose if it were deleted.</summary>
    public static string GroupDeletePreview(string id) => $"{Group(id)}/delete-preview";

    /// <summary>A group's weekly maintenance windows (GET, PUT).</summary>
    public static string GroupMaintenanceWindows(string id) => $"{Group(id)}/maintenance-windows";

    public static string DeviceLabels(string id) => $"{Device(id)}/labels";

    public static string DeviceTelemetry(string id) => $"{Device(id)}/telemetry";

    /// <summary>GET <c>?series=&amp;from=&amp;to=&amp;resolution=</c>: one series of the device's data (what its data flows send).</summary>
    public static string DeviceData(string id) => $"{Device(id)}/data";

    /// <summary>GET: the series the device sends, with their last values.</summary>
    public static string DeviceDataSeries(string id) => $"{DeviceData(id)}/series";

    /// <summary>GET: every device's series with their last values (the Data page).</summary>
    public const string DataSeries = Prefix + "/data/series";

    public static string User(string id) => $"{Users}/{Uri.EscapeDataString(id)}";

    public static string UserPassword(string id) => $"{User(id)}/password";

    public static string DeviceWorkloads(string id) => $"{Device(id)}/workloads";

    public static string DeviceWorkloadLogs(string id, string workload) => $"{DeviceWorkloads(id)}/{Uri.EscapeDataString(workload)}/logs";

    public static string DeviceWorkloadRestart(string id, string workload) => $"{DeviceWorkloads(id)}/{Uri.EscapeDataString(workload)}/restart";

    public static string DeviceResync(string id) => $"{Device(id)}/resync";

    /// <summary>Remote actions on many devices at once (POST), or the latest ones across the fleet (GET).</summary>
    public const string DeviceActions = Prefix + "/device-actions";

    /// <summary>Another admin approves or rejects a request for actions that waits for approval (<paramref name="decision"/>: approve, reject).</summary>
    public static string DeviceActionBatch(string batchId, string decision) => $"{DeviceActions}/batches/{Uri.EscapeDataString(batchId)}/{decision}";

    /// <summary>One device's remote actions: the latest (GET), or a new one (POST).</summary>
    public static string DeviceActionsOf(string id) => $"{Device(id)}/actions";

    public const string MarketplaceApps = Prefix + "/marketplace/apps";

    public static string MarketplaceApp(string id) => $"{MarketplaceApps}/{Uri.EscapeDataString(id)}";

    public static string MarketplaceAppCertify(string id) => $"{MarketplaceApp(id)}/certify";

    public static string MarketplaceAppIcon(string id) => $"{MarketplaceApp(id)}/icon";

    /// <summary>Data flows: versioned pipelines from plant connectors through a model to outputs, deployed like any workload.</summary>
    /// <summary>Agent releases: list and upload (multipart: version, releaseNotes, a file part per architecture).</summary>
    public const string AgentReleases = Prefix + "/agent-releases";

    public static string AgentRelease(string version) => $"{AgentReleases}/{Uri.EscapeDataString(version)}";

    public const string DataFlows = Prefix + "/dataflows";

    public static string DataFlow(string idOrName) => $"{DataFlows}/{Uri.EscapeDataString(idOrName)}";

    public static string DataFlowVersions(string idOrName) => $"{DataFlow(idOrName)}/versions";

    public static string DataFlowVersion(string idOrName, int version) => $"{DataFlowVersions(idOrName)}/{version}";

    public const string Deployments = Prefix + "/deployments";

    public static string Deployment(string id) => $"{Deployments}/{Uri.EscapeDataString(id)}";

    /// <summary>POST an update's body: which devices would receive, be updated, or lose the workload; changes nothing.</summary>
    public static string DeploymentPreview(string id) => $"{Deployment(id)}/preview";

    /// <summary>Personal access tokens (<c>Authorization: Bearer pat_…</c>).</summary>
    public const string Tokens = Prefix + "/tokens";

    public static string Token(string id) => $"{Tokens}/{Uri.EscapeDataString(id)}";

    public const string Models = Prefix + "/models";

    public static string Model(string idOrName) => $"{Models}/{Uri.EscapeDataString(idOrName)}";

    public static string ModelVersions(string idOrName) => $"{Model(idOrName)}/versions";

    public static string ModelVersion(string idOrName, int version) => $"{ModelVersions(idOrName)}/{version}";

    /// <summary>The version's original file (operators; Range requests work).</summary>
    public static string ModelVersionFile(string idOrName, int version) => $"{ModelVersion(idOrName, version)}/file";

    public static string ModelVersionProfiles(string idOrName, int version) => $"{ModelVersion(idOrName, version)}/profiles";

    public static string ModelVersionMetrics(string idOrName, int version) => $"{ModelVersion(idOrName, version)}/metrics";

    /// <summary>GET the version's baseline; DELETE it.</summary>
    public static string ModelVersionBaseline(string idOrName, int version) => $"{ModelVersion(idOrName, version)}/baseline";

    /// <summary>POST <c>{deviceId, requests}</c>: captures the baseline from the device's next requests.</summary>
    public static string ModelVersionBaselineCapture(string idOrName, int version) => $"{ModelVersionBaseline(idOrName, version)}/capture";

    /// <summary>GET <c>?deviceId=&amp;hours=</c>: drift points against the baseline.</summary>
    public static string ModelVersionDrift(string idOrName, int version) => $"{ModelVersion(idOrName, version)}/drift";

    /// <summary>Model files for agents, by SHA-256, with the device's own credentials (resumable with Range).</summary>
    /// <summary>The agent's install script (outside the API: plain text, anonymous, it holds no secret).</summary>
    public const string InstallScript = "/install/agent.sh";

    /// <summary>The newest release's build for an architecture, for the install script; the enrollment token is the credential (X-Enrollment-Token).</summary>
    public static string AgentInstallBuild(string architecture) => $"{Prefix}/agent/install/{architecture}";

    public static string AgentArtifact(string sha256) => $"{Prefix}/agent/artifacts/{sha256}";

    public static string DeviceModelMetrics(string id) => $"{Device(id)}/model-metrics";

    /// <summary>The audit log (admins): filters actor, action, target, from, to, outcome; page (from 1) and pageSize (up to 500).</summary>
    public const string Audit = Prefix + "/audit";

    /// <summary>The audit log as CSV, with the same filters and no paging.</summary>
    public const string AuditCsv = Prefix + "/audit.csv";

    /// <summary>pause, resume, abort or rollback.</summary>
    public static string DeploymentAction(string id, string action) => $"{Deployment(id)}/{action}";

    /// <summary>POST, the body of a create: how many target devices will receive it and, for each that cannot, why.</summary>
    public const string DeploymentCheck = Deployments + "/check";

    /// <summary>GET/PUT the fleet's config set (every device).</summary>
    public const string FleetConfig = Prefix + "/config/fleet";

    public const string FleetSecrets = FleetConfig + "/secrets";

    /// <summary>GET: config changes rolling out (and recent ones), newest first; <c>/{id}</c> one; <c>/{id}/pause|resume|rollback</c> (POST).</summary>
    public const string ConfigRollouts = Prefix + "/config/rollouts";

    public static string ConfigRollout(string id) => $"{ConfigRollouts}/{Uri.EscapeDataString(id)}";

    public static string GroupConfig(string id) => $"{Group(id)}/config";

    public static string GroupSecrets(string id) => $"{Group(id)}/secrets";

    public static string DeviceConfig(string id) => $"{Device(id)}/config";

    /// <summary>GET: the device's config after layering fleet, its groups and itself, each value with its source.</summary>
    public static string DeviceEffectiveConfig(string id) => $"{DeviceConfig(id)}/effective";

    public static string DeviceSecrets(string id) => $"{Device(id)}/secrets";

    /// <summary>PUT/DELETE one secret under a level's secrets route; <c>/reveal</c> (POST, admins) returns its value.</summary>
    public static string Secret(string secretsRoute, string name) => $"{secretsRoute}/{Uri.EscapeDataString(name)}";
}
