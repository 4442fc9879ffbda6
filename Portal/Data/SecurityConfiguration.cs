using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class SecurityConfiguration : IEntityTypeConfiguration<AuditEntry>, IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.Action, a.At });
        builder.HasIndex(a => new { a.ActorName, a.At });
        builder.HasIndex(a => new { a.Target, a.At });
        builder.Property(a => a.ActorKind).HasMaxLength(16);
        builder.Property(a => a.ActorId).HasMaxLength(64);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Target).HasMaxLength(128);
        builder.Property(a => a.TargetName).HasMaxLength(256);
        builder.Property(a => a.Outcome).HasMaxLength(16);
        builder.Property(a => a.SourceIp).HasMaxLength(64);
        builder.Property(a => a.Detail).HasMaxLength(1000);
    }

    public void Configure(EntityTypeBuilder<PersonalAccessToken> builder)
    {
        builder.ToTable("PersonalAccessTokens");
        builder.HasKey(t => t.Id);
        builder.HasIndex(t => t.UserId);
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.Property(t => t.UserId).HasMaxLength(450);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Role).HasMaxLength(20);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.Property(t => t.LastUsedIp).HasMaxLength(64);
    }
}
