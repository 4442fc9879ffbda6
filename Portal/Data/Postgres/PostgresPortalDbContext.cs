using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Postgres;

/// <summary>
/// The same model as <see cref="PortalDbContext"/>, as its own type only so PostgreSQL's migrations (in
/// <c>Data/Postgres/Migrations</c>) are told apart from SQLite's. Used to migrate; the portal runs on the base type.
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);
