namespace Portal.Features.Audit;

/// <summary>
/// Every action the audit log records, one name per action; whether it worked is the entry's outcome, not its name.
/// Names are stable: auditors filter and script on them.
/// </summary>
public static class AuditActions
{
    public const string SignIn = "user.signin";
    public const string SignOut = "user.signout";
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role.changed";
    public const string UserPasswordReset = "user.password.reset";
    public const string UserPasswordChanged = "user.password.changed";
    public const string UserLocked = "user.locked";
    public const string UserUnlocked = "user.unlocked";
    public const string UserDeleted = "user.deleted";
    public const string UserTwoFactorEnabled = "user.2fa.enabled";
    public const string UserTwoFactorDisabled = "user.2fa.disabled";
    public const string UserRecoveryCodesRenewed = "user.2fa.recovery-codes.renewed";
    public const string SecuritySettingChanged = "security.setting.changed";

    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";

    public const string DeviceEnrolled = "device.enrolled";
    public const string DeviceRenamed = "device.renamed";
    public const string DeviceRelabelled = "device.relabelled";
    public const string DeviceRevoked = "device.revoked";
    public const string DeviceActionRequested = "device.action.requested";
    public const string DeviceActionFinished = "device.action.finished";
    public const string DeviceActionApproved = "device.action.approved";
    public const string DeviceActionRejected = "device.action.rejected";
    public const string DeviceRemoved = "device.removed";
    public const string DeviceResynced = "device.resynced";
    public const string WorkloadRestarted = "workload.restarted";
    public const string EnrollmentTokenCreated = "enrollment-token.created";
    public const string EnrollmentTokenRevoked = "enrollment-token.revoked";

    public const string AlertRuleCreated = "alert-rule.created";
    public const string AlertRuleChanged = "alert-rule.changed";
    public const string AlertRuleDeleted = "alert-rule.deleted";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string AlertSilenceCreated = "alert.silence.created";
    public const string AlertSilenceEnded = "alert.silence.ended";

    public const string NotificationChannelCreated = "notification-channel.created";
    public const string NotificationChannelChanged = "notification-channel.changed";
    public const string NotificationChannelDeleted = "notification-channel.deleted";
    public const string NotificationChannelSecretRotated = "notification-channel.secret.rotated";
    public const string NotificationChannelTested = "notification-channel.tested";

    public const string GroupCreated = "group.created";
    public const string GroupChanged = "group.changed";
    public const string GroupDeleted = "group.deleted";
    public const string GroupMaintenanceWindowsChanged = "group.maintenance-windows.changed";

    public const string ConfigChanged = "config.changed";
    public const string ConfigRolloutPaused = "config-rollout.paused";
    public const string ConfigRolloutResumed = "config-rollout.resumed";
    public const string ConfigRolloutRolledBack = "config-rollout.rolled-back";
    public const string SecretSet = "secret.set";
    public const string SecretDeleted = "secret.deleted";
    public const string SecretsImported = "secret.imported";
    public const string SecretRevealed = "secret.revealed";

    public const string AppAdded = "app.added";
    public const string AppChanged = "app.changed";
    public const string AppCertified = "app.certified";
    public const string AppWithdrawn = "app.withdrawn";
    public const string AppRetired = "app.retired";
    public const string AppIconChanged = "app.icon.changed";
    public const string AppIconRemoved = "app.icon.removed";

    public const string ModelCreated = "model.created";
    public const string ModelVersionUploaded = "model.version.uploaded";
    public const string ModelVersionRejected = "model.version.rejected";
    public const string ModelVersionRestaged = "model.version.restaged";
    public const string ModelVersionChanged = "model.version.changed";
    public const string ModelVersionProfiled = "model.version.profiled";
    public const string ModelVersionBaselineSet = "model.version.baseline.set";
    public const string ModelVersionBaselineDeleted = "model.version.baseline.deleted";
    public const string ModelVersionDeleted = "model.version.deleted";
    public const string ModelDeleted = "model.deleted";

    public const string DataFlowCreated = "dataflow.created";
    public const string DataFlowVersionAdded = "dataflow.version.added";
    public const string DataFlowDeleted = "dataflow.deleted";
    public const string AgentReleaseUploaded = "agent-release.uploaded";
    public const string AgentReleaseDeleted = "agent-release.deleted";

    public const string DeploymentCreated = "deployment.created";
    public const string DeploymentPaused = "deployment.paused";
    public const string DeploymentResumed = "deployment.resumed";
    public const string DeploymentAborted = "deployment.aborted";
    public const string DeploymentApproved = "deployment.approved";
    public const string DeploymentRejected = "deployment.rejected";
    public const string DeploymentRolledBack = "deployment.rolledback";
    public const string DeploymentDeleted = "deployment.deleted";
    public const string DeploymentUpdated = "deployment.updated";

    /// <summary>Every name, for the audit page's action filter and for validating <c>?action=</c>.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();
}
