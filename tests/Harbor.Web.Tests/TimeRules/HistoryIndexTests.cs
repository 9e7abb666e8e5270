using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.TimeRules;

/// <summary>
/// The history's indexes by actor and by salesperson are partial (<c>IS NOT NULL</c>): the sweep's events, with no
/// actor and the publication with no salesperson, stay out of them (session 8). A planner uses a partial index only
/// if the query's own conditions imply its filter, so each reader is planned here as its use case writes it, with its
/// parameters: if a change to a reader, or to the index, made the planner give the index up, the audit or the daily
/// report would read the whole history.
/// </summary>
public sealed class HistoryIndexTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task History_AuditByActor_ReadsThePartialActorIndex(Engine engine)
    {
        var actor = Guid.NewGuid();
        // SearchAudit's customer events for one actor, newest first.
        var plan = await PlanAsync(engine, db => db.CustomerEvents.AsNoTracking().Where(e => e.ActorId == actor)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(100)
            .Join(db.Customers, e => e.CustomerId, c => c.Id, (e, c) => new { Event = e, c.Name }), "IX_CustomerEvents_ActorId_At");

        Assert.Contains("IX_CustomerEvents_ActorId_At", plan);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task History_DailyReportCounts_ReadThePartialSalespersonIndex(Engine engine)
    {
        List<Guid> ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var start = new DateTimeOffset(2026, 12, 16, 0, 0, 0, TimeSpan.FromHours(8));
        var end = start.AddDays(1);
        // DailyReport's counts per salesperson, kind and day.
        var plan = await PlanAsync(engine, db => db.CustomerEvents.AsNoTracking()
            .Where(e => e.SalespersonId != null && ids.Contains(e.SalespersonId.Value) && e.At < end)
            .GroupBy(e => new { e.SalespersonId, e.Kind, Today = e.At >= start })
            .Select(g => new { g.Key.SalespersonId, g.Key.Kind, g.Key.Today, Count = g.Count() }), "IX_CustomerEvents_SalespersonId_CustomerId_Kind");

        Assert.Contains("IX_CustomerEvents_SalespersonId_CustomerId_Kind", plan);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task History_ClaimsCoolDown_ReadsAnIndexNotTheWholeHistory(Engine engine)
    {
        var customer = Guid.NewGuid();
        var salesperson = Guid.NewGuid();
        // ClaimFromPool's last loss of this customer by this salesperson. Either of the history's indexes that lead with
        // the customer serves it; what must not happen is a scan of the history.
        var plan = await PlanAsync(engine, db => db.CustomerEvents.AsNoTracking()
            .Where(e => e.CustomerId == customer && e.SalespersonId == salesperson
                && (e.Kind == CustomerEventKind.Released || e.Kind == CustomerEventKind.Expired))
            .OrderByDescending(e => e.At).Select(e => (DateTimeOffset?)e.At).Take(1));

        Assert.Contains("IX_CustomerEvents_", plan);
        Assert.DoesNotContain(engine == Engine.Sqlite ? "SCAN " : "Seq Scan on \"CustomerEvents\"", plan);
    }

    /// <summary>
    /// The query's plan as the engine would run it: EF's own command (its SQL and its parameters, as the use case sends
    /// them) behind EXPLAIN. On PostgreSQL, with <paramref name="only"/>, the question is whether that index can serve
    /// the query at all, whatever the test database holds: in a transaction that is rolled back, the history's other
    /// indexes are dropped and sequential scans priced out (as in the registry's plan test), so the plan names the index
    /// if and only if the planner proves the query implies its filter. (Which index it prefers depends on the rows: the
    /// shared test database's short history made the day's range the cheaper one.) SQLite's planner chooses by the
    /// query's shape (an equality or IN on the leading column first) and is asked as it is.
    /// </summary>
    private async Task<string> PlanAsync<T>(Engine engine, Func<HarborDbContext, IQueryable<T>> query, string? only = null)
    {
        var app = await apps.GetAsync(engine);
        return await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            await db.Database.OpenConnectionAsync();
            // Disposed without a commit: rolled back, the dropped indexes with it. SQLite needs none (and a write
            // transaction there would queue behind the single writer).
            await using var transaction = engine == Engine.Postgres ? await db.Database.BeginTransactionAsync() : null;
            var connection = db.Database.GetDbConnection();
            if (engine == Engine.Postgres)
            {
                var others = only is null ? new List<string>() : await db.Database.SqlQuery<string>(
                    $"SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'CustomerEvents' AND indexname NOT IN ({only}, 'PK_CustomerEvents')").ToListAsync();
                await using var off = connection.CreateCommand();
                off.CommandText = "SET LOCAL enable_seqscan = off;" + string.Concat(others.Select(i => $"DROP INDEX \"{i}\";"));
                await off.ExecuteNonQueryAsync();
            }

            await using var explain = query(db).CreateDbCommand();
            explain.CommandText = (engine == Engine.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + explain.CommandText;
            explain.Transaction = transaction?.GetDbTransaction();
            var lines = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    lines.Add(reader.GetString(engine == Engine.Sqlite ? 3 : 0));
            }

            var plan = string.Join("\n", lines);
            TestContext.Current.SendDiagnosticMessage("{0}", plan);
            return plan;
        });
    }
}
