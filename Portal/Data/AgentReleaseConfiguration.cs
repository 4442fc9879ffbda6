using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class AgentReleaseConfiguration : IEntityTypeConfiguration<AgentRelease>
{
    public void Configure(EntityTypeBuilder<AgentRelease> builder)
    {
        builder.ToTable("AgentReleases");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Version).HasMaxLength(64);
        builder.HasIndex(r => r.Version).IsUnique();
        builder.Property(r => r.ReleaseNotes).HasMaxLength(4000);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.Files).HasJsonConversion();
    }
}
