using System.Linq.Expressions;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Registry;

/// <summary>One row of a registry page as the database returns it.</summary>
public sealed record RegistryItem(
    Guid Id, string Name, CustomerStatus Status, Guid? OwnerId, string? OwnerName, Guid? OwnerGroupId, string? OwnerGroup,
    DateOnly? StartsOn, DateOnly? DueOn, DateTimeOffset? PublishAt, string? Stage, DateTimeOffset CreatedAt);

/// <summary>
/// The registry as every clerk first opens it and leafs through it: no filter, by due date, by page
/// or by cursor. On SQLite its queries are compiled: building the LINQ tree of a page, extracting its
/// parameters and hashing it to find EF's cached plan was the largest share of a page's CPU left
/// in Harbor (≈ 8 %, docs/benchmarks.md, "Session 4, page2"). The SQL is the one
/// <see cref="SearchRegistry"/> writes for the same request (the deferred join, the order through
/// IX_Customers_DueKey). A compiled query keeps the plan of the first model it meets, so there is one
/// set per model (<see cref="PerModel{TQueries}"/>). On PostgreSQL, whose plan cache wants another
/// shape of statement, <see cref="RegistryPostgresPages"/> reads the page. A test walks pages and
/// cursors against the plain query on both engines.
/// </summary>
public static class RegistryDefaultView
{
    // PostgreSQL runs SQL of its own, written for its plan cache (RegistryPostgresPages).
    public static Task<List<RegistryItem>> ReadAsync(HarborDbContext db, RegistryOwners owners, RegistryCursor? cursor, int skip, int take, CancellationToken ct) => db switch
    {
        SqliteHarborDbContext sqlite => PerModel<Queries<SqliteHarborDbContext>>.Of(sqlite).ReadAsync(sqlite, cursor, skip, take, ct),
        PostgresHarborDbContext postgres => RegistryPostgresPages.ReadAsync(postgres, owners, cursor, skip, take, ct),
        _ => throw new NotSupportedException($"No compiled registry queries for {db.GetType().Name}."),
    };

    private sealed class Queries<TContext>
        where TContext : HarborDbContext
    {
        private readonly Func<TContext, int, int, IAsyncEnumerable<RegistryItem>> ByPage = EF.CompileAsyncQuery(
            WithRows<Func<TContext, int, int, IQueryable<Guid>>, Func<TContext, int, int, IQueryable<RegistryItem>>>((db, skip, take) =>
                db.Customers.AsNoTracking()
                    .OrderBy(c => c.DueOn ?? EF.Constant(DateOnly.MaxValue)).ThenBy(c => c.Id)
                    .Skip(skip).Take(take).Select(c => c.Id)));

        private readonly Func<TContext, DateOnly, Guid, int, IAsyncEnumerable<RegistryItem>> AfterKeyThenId = EF.CompileAsyncQuery(
            WithRows<Func<TContext, DateOnly, Guid, int, IQueryable<Guid>>, Func<TContext, DateOnly, Guid, int, IQueryable<RegistryItem>>>((db, key, after, take) =>
                // Two seeks, not one range with a filter: SQLite uses only the index's first column for
                // "key >= k and (key > k or id > i)", so a page deep inside one due date (the undated: every
                // signed and pooled customer) stepped over every row of that date before the cursor. The rest
                // of the cursor's date by (key = k, id > i), then the later dates by key > k, each in index order.
                db.Customers.AsNoTracking()
                    .Where(c => (c.DueOn ?? EF.Constant(DateOnly.MaxValue)) == key && c.Id.CompareTo(after) > 0)
                    .OrderBy(c => c.Id).Take(take)
                    .Select(c => new { Key = c.DueOn ?? EF.Constant(DateOnly.MaxValue), c.Id })
                    .Concat(db.Customers.AsNoTracking()
                        .Where(c => (c.DueOn ?? EF.Constant(DateOnly.MaxValue)) > key)
                        .OrderBy(c => c.DueOn ?? EF.Constant(DateOnly.MaxValue)).ThenBy(c => c.Id).Take(take)
                        .Select(c => new { Key = c.DueOn ?? EF.Constant(DateOnly.MaxValue), c.Id }))
                    .OrderBy(c => c.Key).ThenBy(c => c.Id)
                    .Take(take).Select(c => c.Id)));

        // The deferred join every page ends with: the page's ids, cut from the customers alone through the
        // sort's index, joined to their customers and owners, in registry order.
        private static readonly Expression<Func<TContext, IQueryable<Guid>, IQueryable<RegistryItem>>> Rows = (db, ids) =>
            from id in ids
            join c in db.Customers.AsNoTracking() on id equals c.Id
            join u in db.Users.AsNoTracking() on c.OwnerId equals u.Id into owners
            from o in owners.DefaultIfEmpty()
            orderby c.DueOn ?? EF.Constant(DateOnly.MaxValue), c.Id
            select new RegistryItem(c.Id, c.Name, c.Status, (Guid?)o!.Id, o.DisplayName, o.GroupId, o.Group!.Name,
                c.StartsOn, c.DueOn, c.PublishAt, c.Stage, c.CreatedAt);

        /// <summary>A page's ids, as <paramref name="ids"/> selects them, with <see cref="Rows"/> spliced in: one expression for EF to compile.</summary>
        private static Expression<TQuery> WithRows<TIds, TQuery>(Expression<TIds> ids)
        {
            var body = new Splice(Rows.Parameters[0], ids.Parameters[0], Rows.Parameters[1], ids.Body).Visit(Rows.Body);
            return InlineConstants.In(Expression.Lambda<TQuery>(body, ids.Parameters));
        }

        private sealed class Splice(ParameterExpression db, Expression context, ParameterExpression ids, Expression page) : ExpressionVisitor
        {
            protected override Expression VisitParameter(ParameterExpression node) =>
                node == db ? context : node == ids ? page : base.VisitParameter(node);
        }

        public async Task<List<RegistryItem>> ReadAsync(TContext db, RegistryCursor? cursor, int skip, int take, CancellationToken ct)
        {
            var rows = cursor is null ? ByPage(db, skip, take) : AfterKeyThenId(db, RegistryCursor.Date(cursor.Key), cursor.Id, take);
            return await rows.ToListAsync(ct);
        }
    }
}
