using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Devices;

namespace Portal.Features.Devices;

/// <summary>
/// Turns an enrollment token into a new device with its own secret. The audit log gets the new device as actor, or the
/// refused caller (by the name it asked for) with the reason; never the token or the secret.
/// </summary>
public sealed partial class EnrollmentService(
    IDbContextFactory<PortalDbContext> dbFactory, DeviceEvents events, AuditLog audit, Portal.Security.ReleaseSigningKey releaseKey, TimeProvider clock, ILogger<EnrollmentService> logger)
{
    public const string SecretPrefix = PortalAuthSchemes.DeviceSecretPrefix;

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

        if (string.IsNullOrEmpty(request.Token) || !request.Token.StartsWith(EnrollmentTokenService.TokenPrefix, StringComparison.Ordinal))
        {
            return Refused("This is not an enrollment token. Copy the whole token from the portal's Enrollment tokens page.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hash = SecretTokens.Hash(request.Token);
        var token = await db.EnrollmentTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        var now = clock.GetUtcNow();
        // Found by its hash, so nothing is compared against the secret itself here.
        if (token is null)
        {
            return Refused("The portal does not know this enrollment token.");
        }

        if (token.RevokedAt is not null)
        {
            return Refused($"The enrollment token '{token.Name}' was revoked. Ask an operator for a new one.");
        }

        if (token.ExpiresAt <= now)
        {
            return Refused($"The enrollment token '{token.Name}' expired at {token.ExpiresAt:u}. Ask an operator for a new one.");
        }

        if (token.Uses >= token.MaxUses)
        {
            return Refused($"The enrollment token '{token.Name}' has been used up ({token.MaxUses} of {token.MaxUses} uses). Ask an operator for a new one.");
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
