using Microsoft.EntityFrameworkCore;
using Portal.Common;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Shared.Config;

namespace Portal.Features.FleetConfig;

/// <summary>
/// Secrets at the three levels: anyone may list names, operators set, replace and delete, only admins read a value back
/// (audited). Values are encrypted before they are stored and never logged nor written to the audit log.
/// </summary>
public sealed class SecretService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, AuditLog audit, SecretProtector protector, Notifier<ConfigChanged> notifier)
{
    public const int MaxValueLength = 8192;

    public async Task<OperationResult<IReadOnlyList<SecretDto>>> ListAsync(ConfigScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ConfigOwners.NameAsync(db, scope, cancellationToken) is null)
        {
            return OperationResult<IReadOnlyList<SecretDto>>.Fail(OperationOutcome.NotFound, ConfigOwners.Missing);
        }

        var secrets = await db.ConfigSecrets.AsNoTracking().Where(s => s.Level == scope.Level && s.OwnerId == scope.OwnerId).ToListAsync(cancellationToken);
        return OperationResult<IReadOnlyList<SecretDto>>.Ok(secrets.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => ToDto(scope, s)).ToList());
    }

    public async Task<OperationResult<SecretDto>> SetAsync(ConfigScope scope, string name, SaveSecretRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (Problem(name, request) is { } problem)
        {
            return OperationResult<SecretDto>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ConfigOwners.NameAsync(db, scope, cancellationToken) is not { } ownerName)
        {
            return OperationResult<SecretDto>.Fail(OperationOutcome.NotFound, ConfigOwners.Missing);
        }

        var secret = await Upsert(db, scope, name, request, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.SecretSet, scope.AuditTarget, ownerName,
            detail: $"{scope.Level} secret {name} ({request.Kind}{(request.Kind == SecretKind.RegistryCredential ? $" for {request.Server?.Trim()}" : "")})", ct: cancellationToken);
        notifier.Publish(new ConfigChanged(scope.Level, scope.OwnerId));
        return OperationResult<SecretDto>.Ok(ToDto(scope, secret));
    }

    /// <summary>Sets every <c>KEY=value</c> line as a plain secret, all or nothing.</summary>
    public async Task<OperationResult<ImportSecretsResult>> ImportAsync(ConfigScope scope, string? lines, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var (pairs, problem) = SecretLines.Parse(lines);
        problem ??= pairs.Select(p => p.Value.Length > MaxValueLength ? $"The value of {p.Key} is longer than {MaxValueLength} characters." : null).FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            return OperationResult<ImportSecretsResult>.Fail(OperationOutcome.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ConfigOwners.NameAsync(db, scope, cancellationToken) is not { } ownerName)
        {
            return OperationResult<ImportSecretsResult>.Fail(OperationOutcome.NotFound, ConfigOwners.Missing);
        }

        foreach (var (key, value) in pairs)
        {
            await Upsert(db, scope, key, new SaveSecretRequest(value), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        var names = pairs.Select(p => p.Key).ToList();
        await audit.RecordAsync(actor, AuditActions.SecretsImported, scope.AuditTarget, ownerName,
            detail: $"{scope.Level} secrets {string.Join(", ", names)}", ct: cancellationToken);
        notifier.Publish(new ConfigChanged(scope.Level, scope.OwnerId));
        return OperationResult<ImportSecretsResult>.Ok(new ImportSecretsResult(names));
    }

    public async Task<OperationResult<bool>> DeleteAsync(ConfigScope scope, string name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ownerName = await ConfigOwners.NameAsync(db, scope, cancellationToken);
        var secret = await db.ConfigSecrets.FirstOrDefaultAsync(s => s.Level == scope.Level && s.OwnerId == scope.OwnerId && s.Name == name, cancellationToken);
        if (ownerName is null || secret is null)
        {
            return OperationResult<bool>.Fail(OperationOutcome.NotFound, $"There is no secret named '{PlainText.Neutralize(name)}' at this level.");
        }

        db.ConfigSecrets.Remove(secret);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.SecretDeleted, scope.AuditTarget, ownerName, detail: $"{scope.Level} secret {name}", ct: cancellationToken);
        notifier.Publish(new ConfigChanged(scope.Level, scope.OwnerId));
        return OperationResult<bool>.Ok(true);
    }

    /// <summary>The plain value, for an admin; the reveal is audited (without the value).</summary>
    public async Task<OperationResult<RevealedSecret>> RevealAsync(ConfigScope scope, string name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ownerName = await ConfigOwners.NameAsync(db, scope, cancellationToken);
        var secret = await db.ConfigSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Level == scope.Level && s.OwnerId == scope.OwnerId && s.Name == name, cancellationToken);
        if (ownerName is null || secret is null)
        {
            return OperationResult<RevealedSecret>.Fail(OperationOutcome.NotFound, $"There is no secret named '{PlainText.Neutralize(name)}' at this level.");
        }

        await audit.RecordAsync(actor, AuditActions.SecretRevealed, scope.AuditTarget, ownerName, detail: $"{scope.Level} secret {name}", ct: cancellationToken);
        return OperationResult<RevealedSecret>.Ok(new RevealedSecret(name, secret.Kind, protector.Unprotect(secret.ProtectedValue), secret.Server, secret.Username));
    }

    private async Task<ConfigSecret> Upsert(PortalDbContext db, ConfigScope scope, string name, SaveSecretRequest request, CancellationToken ct)
    {
        var secret = db.ConfigSecrets.Local.FirstOrDefault(s => s.Level == scope.Level && s.OwnerId == scope.OwnerId && s.Name == name)
            ?? await db.ConfigSecrets.FirstOrDefaultAsync(s => s.Level == scope.Level && s.OwnerId == scope.OwnerId && s.Name == name, ct);
        if (secret is null)
        {
            secret = db.ConfigSecrets.Add(new ConfigSecret { Level = scope.Level, OwnerId = scope.OwnerId, Name = name, ProtectedValue = "" }).Entity;
        }

        var registry = request.Kind == SecretKind.RegistryCredential;
        secret.Kind = request.Kind;
        secret.ProtectedValue = protector.Protect(request.Value!);
        secret.Server = registry ? request.Server!.Trim() : null;
        secret.Username = registry ? request.Username!.Trim() : null;
        secret.UpdatedAt = clock.GetUtcNow();
        return secret;
    }

    private static string? Problem(string name, SaveSecretRequest request) =>
        ConfigRules.KeyProblem(name, "secret name")
        ?? (string.IsNullOrEmpty(request.Value) ? "Give the secret a value (for a registry credential: the password or token)." : null)
        ?? (request.Value!.Length > MaxValueLength ? $"A secret's value can be at most {MaxValueLength} characters." : null)
        ?? (PlainText.IsClean(request.Value) ? null : "The value holds a control character or line break; secrets are one line of printable text.")
        ?? (request.Kind != SecretKind.RegistryCredential ? null : RegistryHosts.Problem(request.Server)
            ?? (string.IsNullOrWhiteSpace(request.Username) ? "Give the registry user name." : PlainText.Problem(request.Username, "user name")));

    private static SecretDto ToDto(ConfigScope scope, ConfigSecret s) =>
        new(s.Name, s.Kind, scope.Level, scope.ShownOwnerId, s.Server, s.Username, s.UpdatedAt);
}
