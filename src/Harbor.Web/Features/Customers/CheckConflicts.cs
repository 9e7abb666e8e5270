using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record CheckRequest(string? Name, string? Phone, string? CreditCode);

public sealed record CheckHolder(string DisplayName, string? Group);

public sealed record CheckMatch(Guid CustomerId, string Name, CustomerStatus Status, string Match, CheckHolder? Holder, DateOnly? DueOn, DateTimeOffset? PublishAt,
    double? Score = null);

public sealed record CheckResponse(IReadOnlyList<CheckMatch> Matches, IReadOnlyList<string>? Warnings);

/// <summary>
/// Rule 3's lookup, open to anyone signed in: who holds a name, phone or credit code, and until
/// when. It never shows a contact, phone or address of anyone's customer.
/// </summary>
public sealed class CheckConflicts(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<CheckResponse>> HandleAsync(CheckRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        if (name is { Length: > CompanyName.MaxLength })
            errors["name"] = [$"Longer than {CompanyName.MaxLength} characters."];
        if (request.Phone is { Length: > CustomerDetails.MaxPhoneLength })
            errors["phone"] = [$"Longer than {CustomerDetails.MaxPhoneLength} characters."];
        if (request.CreditCode is { Length: > CustomerDetails.MaxCreditCodeLength })
            errors["creditCode"] = [$"Longer than {CustomerDetails.MaxCreditCodeLength} characters."];
        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);

        var nameKey = name is null ? null : CompanyName.Key(name);
        var keys = new ConflictKeys(
            string.IsNullOrEmpty(nameKey) ? null : nameKey,
            LibPhoneNumberParser.Keys.Key(request.Phone),
            CreditCode.Key(request.CreditCode));
        if (keys.IsEmpty)
            return Refusal.ValidationFailed.Of("name", "Give a company name, a phone or a credit code to check.");

        var warnings = keys.CreditCodeKey is { } code && !CreditCode.HasValidCheck(code) ? new[] { "credit-code-check-failed" } : null;
        var hits = await ExactHitsAsync(keys, ct);
        // A merged-away customer answers as the one it was merged into (rare): the path registration shares.
        var exact = hits.Any(h => !h.IsReview && h.MergedIntoId is not null)
            ? await ResolvedMatchesAsync(keys, ct)
            : [.. hits.Where(h => !h.IsReview).Select(h => Describe(h, keys.MatchOf(h.NameKey, h.PhoneKey, h.CreditCodeKey)))];
        var similar = name is null ? [] : await SimilarAsync(CompanyName.Normalize(name), [.. exact.Select(m => m.CustomerId)], ct);
        var reviews = hits.Where(h => h.IsReview).OrderBy(h => h.RequestedAt)
            .Select(h => new CheckMatch(h.Id, h.Name, CustomerStatus.PendingReview, keys.MatchOf(h.NameKey, h.PhoneKey, h.CreditCodeKey),
                h.HolderName is { } holder ? new CheckHolder(holder, h.HolderGroup) : null, null, null));
        List<CheckMatch> matches = [.. exact, .. similar, .. reviews];
        return new CheckResponse(matches, warnings);
    }

    /// <summary>
    /// The customers and the pending registrations holding one of the keys, each with its holder's name and
    /// group, in one round trip (issue 6: exact hits within 2 ms; three queries cost more than the lookups).
    /// </summary>
    private Task<List<ExactHit>> ExactHitsAsync(ConflictKeys keys, CancellationToken ct) => db switch
    {
        SqliteHarborDbContext sqlite => PerModel<ExactSqlite>.Of(sqlite).HitsAsync(sqlite, keys, ct),
        PostgresHarborDbContext postgres => ExactHitsPostgres.ReadAsync(postgres, keys, ct),
        _ => throw new NotSupportedException($"No compiled conflict lookup for {db.GetType().Name}."),
    };

    /// <summary>
    /// The exact-key lookup on SQLite, as a compiled query (PostgreSQL's is <see cref="ExactHitsPostgres"/>).
    /// Built as plain LINQ, EF rebuilt and hashed its expression tree on every call: 70 KB of garbage a
    /// check, so one check in sixty met a collection, which was the 99th percentile of a phone hit. A
    /// compiled query keeps the plan of the first model it meets (<see cref="PerModel{TQueries}"/>); EF
    /// still writes the SQL per pattern of absent keys.
    /// </summary>
    private sealed class ExactSqlite
    {
        private readonly Func<SqliteHarborDbContext, string?, string?, string?, IAsyncEnumerable<ExactHit>> Hits = EF.CompileAsyncQuery(
            (SqliteHarborDbContext db, string? nameKey, string? phoneKey, string? creditCodeKey) =>
                (from c in db.Customers
                 where (nameKey != null && c.NameKey == nameKey) || (phoneKey != null && c.PhoneKey == phoneKey) || (creditCodeKey != null && c.CreditCodeKey == creditCodeKey)
                 orderby c.Id
                 select c).Take(20)
                .SelectMany(c => db.Users.Where(u => u.Id == c.OwnerId).DefaultIfEmpty(), (c, u) => new ExactHit
                {
                    Id = c.Id, Name = c.Name, Status = c.Status, OwnerId = c.OwnerId, DueOn = c.DueOn, PublishAt = c.PublishAt, MergedIntoId = c.MergedIntoId,
                    NameKey = c.NameKey, PhoneKey = c.PhoneKey, CreditCodeKey = c.CreditCodeKey,
                    HolderName = u!.DisplayName, HolderGroup = u.Group!.Name, IsReview = false, RequestedAt = c.CreatedAt, // a column, not null: SQLite reads the union by the first side's mapping
                })
                .Concat((from r in db.Reviews
                         where r.Status == ReviewStatus.Pending
                             && ((nameKey != null && r.NameKey == nameKey) || (phoneKey != null && r.PhoneKey == phoneKey) || (creditCodeKey != null && r.CreditCodeKey == creditCodeKey))
                         orderby r.RequestedAt
                         select r).Take(20)
                    .SelectMany(r => db.Users.Where(u => u.Id == r.SalespersonId).DefaultIfEmpty(), (r, u) => new ExactHit
                    {
                        Id = r.Id, Name = r.Name, Status = null, OwnerId = r.SalespersonId, DueOn = null, PublishAt = null, MergedIntoId = null,
                        NameKey = r.NameKey, PhoneKey = r.PhoneKey, CreditCodeKey = r.CreditCodeKey,
                        HolderName = u!.DisplayName, HolderGroup = u.Group!.Name, IsReview = true, RequestedAt = r.RequestedAt,
                    })));

        public async Task<List<ExactHit>> HitsAsync(SqliteHarborDbContext db, ConflictKeys keys, CancellationToken ct) =>
            await Hits(db, keys.NameKey, keys.PhoneKey, keys.CreditCodeKey).ToListAsync(ct);
    }

    private CheckMatch Describe(ExactHit hit, string match) =>
        Describe(hit.Id, hit.Name, hit.Status!.Value, hit.DueOn, hit.PublishAt,
            hit.OwnerId is not null && hit.HolderName is { } name ? new CheckHolder(name, hit.HolderGroup) : null, match);

    private CheckMatch Describe(Customer c, string match, Dictionary<Guid, Holder> holders, double? score = null) =>
        Describe(c.Id, c.Name, c.Status, c.DueOn, c.PublishAt,
            c.OwnerId is { } owner && holders.TryGetValue(owner, out var h) ? new CheckHolder(h.DisplayName, h.Group) : null, match, score);

    /// <summary>A match as the check shows it: the due date only while a protection runs, the publication in the company's time.</summary>
    private CheckMatch Describe(Guid id, string name, CustomerStatus status, DateOnly? dueOn, DateTimeOffset? publishAt, CheckHolder? holder, string match, double? score = null) =>
        new(id, name, status, match, holder, status is CustomerStatus.Protected or CustomerStatus.PendingReview ? dueOn : null,
            publishAt is { } at ? calendar.ToLocal(at) : null, score);

    private async Task<List<CheckMatch>> ResolvedMatchesAsync(ConflictKeys keys, CancellationToken ct)
    {
        var customers = await Conflicts.FindMatchesAsync(db, keys, tracked: false, ct);
        var holders = await Conflicts.HoldersAsync(db, customers.Where(c => c.Customer.OwnerId is not null).Select(c => c.Customer.OwnerId!.Value), ct);
        return [.. customers.Select(c => Describe(c.Customer, c.Match, holders))];
    }

    private async Task<List<CheckMatch>> SimilarAsync(NormalizedCompanyName name, IReadOnlyCollection<Guid> exclude, CancellationToken ct)
    {
        var similar = await SimilarNames.FindAsync(db, name, exclude, ct);
        var holders = await Conflicts.HoldersAsync(db, similar.Where(s => s.Customer.OwnerId is not null).Select(s => s.Customer.OwnerId!.Value), ct);
        return [.. similar.Select(s => Describe(s.Customer, "similar-name", holders, Math.Round(s.Score, 3)))];
    }
}

/// <summary>One row of the exact-key lookup: a customer or a pending registration, with who holds it.</summary>
internal sealed class ExactHit
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public CustomerStatus? Status { get; init; } // null for a registration: PostgreSQL will not unite a text column with a constant
    public Guid? OwnerId { get; init; }
    public DateOnly? DueOn { get; init; }
    public DateTimeOffset? PublishAt { get; init; }
    public Guid? MergedIntoId { get; init; }
    public string? NameKey { get; init; }
    public string? PhoneKey { get; init; }
    public string? CreditCodeKey { get; init; }
    public string? HolderName { get; init; }
    public string? HolderGroup { get; init; }
    public bool IsReview { get; init; }
    public DateTimeOffset? RequestedAt { get; init; }
}
