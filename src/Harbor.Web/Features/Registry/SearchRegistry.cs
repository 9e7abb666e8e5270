using System.Linq.Expressions;
using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Registry;

public sealed record RegistryQuery(
    string? Search = null,
    Guid? SalespersonId = null,
    Guid? GroupId = null,
    string? Status = null,
    DateOnly? DueFrom = null,
    DateOnly? DueTo = null,
    string? Sort = null,
    int? Page = null,
    int? PageSize = null,
    string? Cursor = null);

public sealed record RegistryOwner(Guid Id, string DisplayName, Guid? GroupId, string? Group);

public sealed record RegistryRow(
    Guid CustomerId,
    string Name,
    CustomerStatus Status,
    RegistryOwner? Owner,
    DateOnly? StartsOn,
    DateOnly? DueOn,
    int? DaysLeft,
    DateTimeOffset? PublishAt,
    string? Stage,
    DateTimeOffset CreatedAt);

/// <param name="Next">The cursor of the page after this one (keyset paging), null on the last page.</param>
public sealed record RegistryPage(IReadOnlyList<RegistryRow> Items, int Total, int Page, int PageSize, string Sort, string? Next = null);

/// <summary>
/// The clerk's master registry (总库, rule 5): every customer, filtered, sorted and paged by the
/// database, so that a page costs the same with 100 customers or 100,000. The clerk and the
/// director see everything; a manager sees the customers held in their own group.
/// </summary>
public sealed class SearchRegistry(HarborDbContext db, TimeProvider clock, CompanyCalendar calendar, RegistryTotals totals, RegistryOwners owners)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 100;

    /// <summary>The sort keys, "-" first for descending; the first one is the default.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["dueOn", "-dueOn", "name", "-name", "createdAt", "-createdAt", "owner", "-owner"];

    public static string StatusValue(CustomerStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());

    public async Task<Result<RegistryPage>> HandleAsync(Viewer viewer, RegistryQuery query, CancellationToken ct)
    {
        if (viewer.Role is not (Role.Clerk or Role.Director or Role.Manager))
            return new Refusal.Forbidden("The master registry is for the clerk, the director and managers.");
        if (viewer.Role == Role.Manager && (viewer.GroupId is null || (query.GroupId is { } asked && asked != viewer.GroupId)))
            return new Refusal.Forbidden("A manager sees the customers of their own group.");

        var errors = new Dictionary<string, string[]>();
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim();
        if (search is { Length: > MaxSearchLength })
            errors["search"] = [$"Longer than {MaxSearchLength} characters."];
        CustomerStatus? status = null;
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            status = Enum.GetValues<CustomerStatus>().Cast<CustomerStatus?>().FirstOrDefault(s => StatusValue(s!.Value) == query.Status.Trim());
            if (status is null)
                errors["status"] = ["One of: " + string.Join(", ", Enum.GetValues<CustomerStatus>().Select(StatusValue)) + "."];
        }

        var sort = string.IsNullOrWhiteSpace(query.Sort) ? SortKeys[0] : query.Sort.Trim();
        if (!SortKeys.Contains(sort))
            errors["sort"] = ["One of: " + string.Join(", ", SortKeys) + "."];
        var page = query.Page ?? 1;
        if (page < 1)
            errors["page"] = ["Pages start at 1."];
        var pageSize = query.PageSize ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
            errors["pageSize"] = [$"Between 1 and {MaxPageSize}."];
        if (query.DueFrom > query.DueTo)
            errors["dueTo"] = ["The due-date range ends before it starts."];

        RegistryCursor? cursor = null;
        if (!string.IsNullOrWhiteSpace(query.Cursor))
        {
            cursor = RegistryCursor.Decode(query.Cursor.Trim());
            if (cursor is null || cursor.Sort != sort)
                errors["cursor"] = ["Not a cursor of this sort: pass the 'next' of the previous page, with the same query."];
            else if (!RegistryCursor.Sorts.Contains(sort))
                errors["cursor"] = ["Sorted by owner, the registry pages by number only."];
        }

        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);

        var customers = db.Customers.AsNoTracking();
        var groupId = viewer.Role == Role.Manager ? viewer.GroupId : query.GroupId;
        if (groupId is not null)
        {
            // A subquery, not a join: the count then reads the customers alone.
            var members = db.Users.Where(u => u.GroupId == groupId).Select(u => (Guid?)u.Id);
            customers = customers.Where(c => members.Contains(c.OwnerId));
        }

        if (query.SalespersonId is { } salespersonId)
            customers = customers.Where(c => c.OwnerId == salespersonId);
        if (status is { } wanted)
            customers = customers.Where(c => c.Status == wanted);
        if (query.DueFrom is { } from)
            customers = customers.Where(c => c.DueOn >= from);
        if (query.DueTo is { } to)
            customers = customers.Where(c => c.DueOn <= to);
        if (search is not null)
        {
            // As typed (a fragment of the name), as the conflict check normalises it (case,
            // full-width, punctuation), or an exact phone or credit code.
            var nameKey = CompanyName.Key(search);
            var phoneKey = LibPhoneNumberParser.Keys.Key(search) is { Length: >= 5 } p ? p : null;
            var creditKey = CreditCode.Key(search);
            customers = customers.Where(c => c.Name.Contains(search)
                || (nameKey != "" && c.NameKey.Contains(nameKey))
                || (phoneKey != null && c.PhoneKey == phoneKey)
                || (creditKey != null && c.CreditCodeKey == creditKey));
        }

        // A cursor carries the total its walk began with, and a page number takes a large total
        // from the last few seconds (RegistryTotals): counting 100,000 rows again for every page
        // would cost more than the page itself.
        var filter = new RegistryFilter(groupId, query.SalespersonId, status, query.DueFrom, query.DueTo, search);
        var counted = customers;
        var total = cursor?.Total ?? await totals.CountAsync(filter, token => counted.CountAsync(token), ct);
        if (cursor is not null)
            page = cursor.Page + 1;

        // The registry as it first opens (no filter, by due date) runs compiled queries
        // (RegistryDefaultView); any other request composes its query here.
        var items = filter == default && sort == SortKeys[0]
            ? await RegistryDefaultView.ReadAsync(db, owners, cursor, (page - 1) * pageSize, pageSize, ct)
            : await ComposedAsync();

        var next = items.Count == pageSize && RegistryCursor.Sorts.Contains(sort) && items[^1] is var last
            ? new RegistryCursor(sort, RegistryCursor.KeyOf(sort, last.Name, last.DueOn, last.CreatedAt), last.Id, total, page).Encode()
            : null;
        var today = calendar.DayOf(clock.GetUtcNow());
        var result = items.Select(r => new RegistryRow(
            r.Id,
            r.Name,
            r.Status,
            r.OwnerId is { } ownerId ? new RegistryOwner(ownerId, r.OwnerName!, r.OwnerGroupId, r.OwnerGroup) : null,
            r.StartsOn,
            r.DueOn,
            r.Status.UsesSlot() && r.DueOn is { } due ? due.DayNumber - today.DayNumber : null,
            r.PublishAt is { } at ? calendar.ToLocal(at) : null,
            r.Stage,
            calendar.ToLocal(r.CreatedAt))).ToList();
        return new RegistryPage(result, total, page, pageSize, sort, next);

        async Task<List<RegistryItem>> ComposedAsync()
        {
            // PostgreSQL seeks to the row value (key, id) through the index; EF's SQLite provider
            // writes no row values, so SQLite keeps the key-then-id form.
            if (cursor is not null)
                customers = RegistryCursor.After(customers, cursor, rowValues: db is PostgresHarborDbContext);

            // Every order ends on the id, so that pages never overlap or skip a row. The due dates
            // sort with the undated last through COALESCE, which IX_Customers_DueKey indexes as written.
            var byCustomer = sort switch
            {
                "dueOn" => customers.OrderBy(DueLast).ThenBy(c => c.Id),
                "-dueOn" => customers.OrderByDescending(DueFirstDescending).ThenBy(c => c.Id),
                "name" => customers.OrderBy(c => c.Name).ThenBy(c => c.Id),
                "-name" => customers.OrderByDescending(c => c.Name).ThenBy(c => c.Id),
                "createdAt" => customers.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
                "-createdAt" => customers.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id),
                _ => null,
            };

            IQueryable<Row> rows;
            if (byCustomer is not null)
            {
                // A deferred join: the page's ids are cut from the customers alone (through the sort's
                // index, when it has one), and only those 50 rows are joined to their owners; an
                // offset no longer looks up the owner of every row it skips.
                // The ids are joined as a derived table, not tested with IN (…): SQLite then reads the
                // 50 rows by key (0.2 ms for page 100), where the IN form took 1.1–1.4 ms.
                var ids = (cursor is null ? byCustomer.Skip((page - 1) * pageSize) : byCustomer).Take(pageSize).Select(c => c.Id);
                var paged = from id in ids
                            join c in db.Customers.AsNoTracking() on id equals c.Id
                            select c;
                rows = Order(WithOwners(paged), sort);
            }
            else
            {
                rows = Order(WithOwners(customers), sort).Skip((page - 1) * pageSize).Take(pageSize);
            }

            return await rows
                .Select(r => new RegistryItem(r.Customer.Id, r.Customer.Name, r.Customer.Status, (Guid?)r.Owner!.Id, r.Owner!.DisplayName,
                    r.Owner!.GroupId, r.Owner!.Group!.Name, r.Customer.StartsOn, r.Customer.DueOn, r.Customer.PublishAt, r.Customer.Stage,
                    r.Customer.CreatedAt))
                .ToListAsync(ct);
        }
    }

    // The due-date sort keys, undated last either way, with the bound as a real constant
    // (InlineConstants): the SQL is the expression IX_Customers_DueKey indexes, and EF caches it.
    private static readonly Expression<Func<Customer, DateOnly>> DueLast =
        InlineConstants.In<Func<Customer, DateOnly>>(c => c.DueOn ?? EF.Constant(DateOnly.MaxValue));

    private static readonly Expression<Func<Customer, DateOnly>> DueFirstDescending =
        InlineConstants.In<Func<Customer, DateOnly>>(c => c.DueOn ?? EF.Constant(DateOnly.MinValue));

    private static readonly Expression<Func<Row, DateOnly>> RowDueLast =
        InlineConstants.In<Func<Row, DateOnly>>(r => r.Customer.DueOn ?? EF.Constant(DateOnly.MaxValue));

    private static readonly Expression<Func<Row, DateOnly>> RowDueFirstDescending =
        InlineConstants.In<Func<Row, DateOnly>>(r => r.Customer.DueOn ?? EF.Constant(DateOnly.MinValue));

    private sealed class Row
    {
        public required Customer Customer { get; init; }
        public User? Owner { get; init; }
    }

    private IQueryable<Row> WithOwners(IQueryable<Customer> customers) =>
        from c in customers
        join u in db.Users.AsNoTracking() on c.OwnerId equals u.Id into owners
        from o in owners.DefaultIfEmpty()
        select new Row { Customer = c, Owner = o };

    private static IQueryable<Row> Order(IQueryable<Row> rows, string sort) => sort switch
    {
        "-dueOn" => rows.OrderByDescending(RowDueFirstDescending).ThenBy(r => r.Customer.Id),
        "name" => rows.OrderBy(r => r.Customer.Name).ThenBy(r => r.Customer.Id),
        "-name" => rows.OrderByDescending(r => r.Customer.Name).ThenBy(r => r.Customer.Id),
        "createdAt" => rows.OrderBy(r => r.Customer.CreatedAt).ThenBy(r => r.Customer.Id),
        "-createdAt" => rows.OrderByDescending(r => r.Customer.CreatedAt).ThenBy(r => r.Customer.Id),
        "owner" => rows.OrderBy(r => r.Owner == null).ThenBy(r => r.Owner!.DisplayName).ThenBy(r => r.Customer.Id),
        "-owner" => rows.OrderBy(r => r.Owner == null).ThenByDescending(r => r.Owner!.DisplayName).ThenBy(r => r.Customer.Id),
        _ => rows.OrderBy(RowDueLast).ThenBy(r => r.Customer.Id),
    };
}
