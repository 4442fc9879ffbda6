using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Features.Notifications;
using Portal.Security;
using Portal.Shared.Devices;
using Portal.Shared.Notifications;

namespace Portal.Features.Devices;

/// <summary>
/// Turns an enrollment token into a new device with its own secret. The audit log gets the new device as actor, or the
/// refused caller (by the name it asked for) with the reason; never the token or the secret.
/// </summary>
public sealed partial class EnrollmentService(
    IDbContextFactory<PortalDbContext> dbFactory, DeviceEvents events, AuditLog audit, Portal.Security.ReleaseSigningKey releaseKey, TimeProvider clock, ILogger<EnrollmentService> logger)
{
    public const string SecretPrefix = PortalAuthSchemes.DeviceSecretPrefix;

    /// <summary>Why <paramref name="token"/> would not enroll a device now (unknown, revoked, expired, used up); null when it would. Uses nothing.</summary>
    public async Task<string?> TokenProblemAsync(string? token, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await FindUsableAsync(db, token, clock.GetUtcNow(), cancellationToken)).Problem;
    }

    public async Task<OperationResult<EnrollResponse>> EnrollAsync(EnrollRequest request, string? ip, CancellationToken cancellationToken = default)
    {
        var result = await TryEnrollAsync(request, ip, cancellationToken);
        if (!result.Succeeded)
        {
            var caller = new AuditActor(AuditActor.Anonymous, null, string.IsNullOrWhiteSpace(request.Name) ? "unnamed agent" : request.Name.Trim(), ip);
            var outcome = result.Outcome == OperationOutcome.Unauthorized ? AuditOutcomes.Denied : AuditOutcomes.Failure;
            await audit.RecordAsync(caller, AuditActions.DeviceEnrolled, null, null, outcome, result.Error, cancellationToken);
        }

        return result;
    }

    /// <summary>The token row when it may enroll a device now, else why not. Found by its hash: nothing is compared against the secret itself.</summary>
    private static async Task<(EnrollmentToken? Token, string? Problem)> FindUsableAsync(PortalDbContext db, string? text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(text) || !text.StartsWith(EnrollmentTokenService.TokenPrefix, StringComparison.Ordinal))
        {
            return (null, "This is not an enrollment token. Copy the whole token from the portal's Enrollment tokens page.");
        }

        var hash = SecretTokens.Hash(text);
        var token = await db.EnrollmentTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return token switch
        {
            null => (null, "The portal does not know this enrollment token."),
            { RevokedAt: not null } => (null, $"The enrollment token '{token.Name}' was revoked. Ask an operator for a new one."),
            _ when token.ExpiresAt <= now => (null, $"The enrollment token '{token.Name}' expired at {token.ExpiresAt:u}. Ask an operator for a new one."),
            _ when token.Uses >= token.MaxUses => (null, $"The enrollment token '{token.Name}' has been used up ({token.MaxUses} of {token.MaxUses} uses). Ask an operator for a new one."),
            _ => (token, null),
        };
    }

    private async Task<OperationResult<EnrollResponse>> TryEnrollAsync(EnrollRequest request, string? ip, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            return OperationResult<EnrollResponse>.Fail(OperationOutcome.Invalid, "The device needs a name of 1 to 200 characters (--name).");
        }

        if (PlainText.Problem(name, "device name (--name)") is { } text)
        {
            return OperationResult<EnrollResponse>.Fail(OperationOutcome.Invalid, text);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var (token, problem) = await FindUsableAsync(db, request.Token, now, cancellationToken);
        if (token is null)
        {
            return Refused(problem!);
        }

        var device = new Device { Name = name, SecretHash = "", EnrolledAt = now, EnrollmentTokenId = token.Id, Labels = new(token.Labels) };
        var secret = $"{SecretPrefix}{device.Id}.{SecretTokens.Generate("")}";
        device.SecretHash = SecretTokens.Hash(secret);
        // One use is claimed atomically (a conditional UPDATE in the same transaction as the device row): agents
        // enrolling together with one token each get a use while any remain, and never more uses than it allows.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var tokenId = token.Id;
            var claimed = await db.EnrollmentTokens.Where(t => t.Id == tokenId && t.Uses < t.MaxUses)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Uses, t => t.Uses + 1), cancellationToken);
            if (claimed == 0)
            {
                return Refused($"The enrollment token '{token.Name}' was used up by other devices at the same moment ({token.MaxUses} of {token.MaxUses} uses). Ask an operator for a new one.");
            }

            db.Devices.Add(device);
            FleetEvents.Add(db, FleetEventTypes.DeviceEnrolled, $"device:{device.Id}", name,
                new JsonObject { ["enrollmentToken"] = token.Name, ["labels"] = JsonSerializer.SerializeToNode(device.Labels) }, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogEnrolled(logger, device.Id, name, token.Name);
        await audit.RecordAsync(new AuditActor(AuditActor.Device, device.Id, name, ip), AuditActions.DeviceEnrolled, AuditTargets.Device(device.Id), name,
            detail: $"with the enrollment token '{token.Name}'", ct: cancellationToken);
        await events.RecordAsync(new DeviceEvent(device.Id, name, DeviceStatus.Offline, $"enrolled with the token '{token.Name}'", now), cancellationToken);
        return OperationResult<EnrollResponse>.Ok(new EnrollResponse(device.Id, secret, releaseKey.PublicKey));
    }

    private static OperationResult<EnrollResponse> Refused(string why) => OperationResult<EnrollResponse>.Fail(OperationOutcome.Unauthorized, why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} ({Name}) enrolled with token {TokenName}")]
    private static partial void LogEnrolled(ILogger logger, string deviceId, string name, string tokenName);
}
