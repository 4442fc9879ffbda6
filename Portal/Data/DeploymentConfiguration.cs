using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class DeploymentConfiguration :
    IEntityTypeConfiguration<Deployment>,
    IEntityTypeConfiguration<DeploymentTarget>,
    IEntityTypeConfiguration<DeploymentEvent>,
    IEntityTypeConfiguration<DeviceDesiredState>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("Deployments");
        builder.HasKey(d => d.Id);
        builder.Ignore(d => d.Kind);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.SourceId).HasMaxLength(64);
        builder.Property(d => d.SourceName).HasMaxLength(100);
        builder.Property(d => d.Version).HasMaxLength(64);
        builder.Property(d => d.Spec).HasJsonConversion();
        builder.Property(d => d.Model).HasJsonConversion();
        builder.Property(d => d.Flow).HasJsonConversion();
        builder.Property(d => d.AgentRelease).HasJsonConversion();
        builder.Property(d => d.Parameters).HasJsonConversion();
        builder.Property(d => d.GroupIds).HasJsonConversion();
        builder.Property(d => d.DeviceIds).HasJsonConversion();
        builder.Property(d => d.Strategy).HasJsonConversion();
        builder.Property(d => d.Previous).HasJsonConversion();
        // Long enough for every state name ("CompletedWithFailures" is 21).
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(d => d.State);
        builder.HasMany(d => d.Targets).WithOne().HasForeignKey(t => t.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<DeploymentTarget> builder)
    {
        builder.ToTable("DeploymentTargets");
        builder.HasKey(t => new { t.DeploymentId, t.DeviceId });
        builder.HasIndex(t => t.DeviceId);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Reason).HasMaxLength(1000);
    }

    public void Configure(EntityTypeBuilder<DeploymentEvent> builder)
    {
        builder.ToTable("DeploymentEvents");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.DeploymentId, e.Id });
        builder.Property(e => e.Message).HasMaxLength(1000);
    }

    public void Configure(EntityTypeBuilder<DeviceDesiredState> builder)
    {
        builder.ToTable("DeviceDesiredStates");
        builder.HasKey(d => d.DeviceId);
        builder.Property(d => d.Workloads).HasJsonConversion();
        builder.Property(d => d.Models).HasJsonConversion();
        builder.Property(d => d.Stacks).HasJsonConversion();
        builder.Property(d => d.DataFlows).HasJsonConversion();
        builder.Property(d => d.AgentReleases).HasJsonConversion();
        builder.Property(d => d.Reported).HasJsonConversion();
    }
}
