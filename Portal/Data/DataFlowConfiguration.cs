using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class DataFlowDefinitionConfiguration : IEntityTypeConfiguration<DataFlowDefinition>
{
    public void Configure(EntityTypeBuilder<DataFlowDefinition> builder)
    {
        builder.ToTable("DataFlows");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Name).HasMaxLength(64);
        builder.HasIndex(f => f.Name).IsUnique();
        builder.Property(f => f.Description).HasMaxLength(2000);
        builder.HasMany(f => f.Versions).WithOne().HasForeignKey(v => v.FlowId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DataFlowVersionConfiguration : IEntityTypeConfiguration<DataFlowVersion>
{
    public void Configure(EntityTypeBuilder<DataFlowVersion> builder)
    {
        builder.ToTable("DataFlowVersions");
        builder.HasKey(v => new { v.FlowId, v.Number });
        builder.Property(v => v.Spec).HasJsonConversion();
        builder.Property(v => v.Notes).HasMaxLength(2000);
    }
}
