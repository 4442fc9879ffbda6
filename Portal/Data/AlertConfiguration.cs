using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class AlertConfiguration :
    IEntityTypeConfiguration<AlertRule>,
    IEntityTypeConfiguration<Alert>,
    IEntityTypeConfiguration<AlertSilence>,
    IEntityTypeConfiguration<AlertCursor>
{
    public void Configure(EntityTypeBuilder<AlertRule> builder)
    {
        builder.ToTable("AlertRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(32);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Metric).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.Series).HasMaxLength(200);
        builder.Property(r => r.Model).HasMaxLength(100);
        builder.Property(r => r.ModelMetric).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.Comparison).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.Severity).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.GroupIds).HasJsonConversion().HasMaxLength(4000);
        builder.Property(r => r.DeviceIds).HasJsonConversion().HasMaxLength(8000);
        builder.Property(r => r.ChannelIds).HasJsonConversion().HasMaxLength(2000);
        builder.Property(r => r.ConcurrencyStamp).HasMaxLength(32).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("Alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.RuleId).HasMaxLength(32);
        builder.HasOne<AlertRule>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.SubjectKind).HasMaxLength(16);
        builder.Property(a => a.SubjectId).HasMaxLength(64);
        builder.Property(a => a.SubjectName).HasMaxLength(200);
        builder.Property(a => a.DeviceId).HasMaxLength(64);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.Severity).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.Summary).HasMaxLength(500);
        builder.Property(a => a.AckedBy).HasMaxLength(256);
        builder.Property(a => a.AckNote).HasMaxLength(1000);
        builder.Property(a => a.OpenKey).HasMaxLength(120);
        builder.HasIndex(a => a.OpenKey).IsUnique();
        builder.HasIndex(a => new { a.State, a.FiredAt });
        builder.HasIndex(a => new { a.DeviceId, a.State });
        builder.HasIndex(a => new { a.RuleId, a.State });
        builder.Property(a => a.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<AlertSilence> builder)
    {
        builder.ToTable("AlertSilences");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(32);
        builder.Property(s => s.RuleIds).HasJsonConversion().HasMaxLength(4000);
        builder.Property(s => s.GroupIds).HasJsonConversion().HasMaxLength(4000);
        builder.Property(s => s.DeviceIds).HasJsonConversion().HasMaxLength(8000);
        builder.Property(s => s.Comment).HasMaxLength(500);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.HasIndex(s => s.EndsAt);
    }

    public void Configure(EntityTypeBuilder<AlertCursor> builder)
    {
        builder.ToTable("AlertCursors");
        builder.HasKey(c => new { c.Stream, c.DeviceId });
        builder.Property(c => c.Stream).HasMaxLength(16);
        builder.Property(c => c.DeviceId).HasMaxLength(64);
    }
}
