using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record SimilarCustomer(Customer Customer, double Score);

/// <summary>
/// Likely duplicates by name (issue 6): candidates come from the gram index — the brand's
/// bigrams, by sound — and are ranked by <see cref="NameSimilarity.Score"/>; only those at or
/// above the threshold chosen on the labelled set (docs/duplicates.md) are returned.
/// </summary>
public static class SimilarNames
{
    /// <summary>Bounds the work of one query: a gram this common cannot tell names apart anyway.</summary>
    public const int MaxCandidates = 2000;

    public const int MaxResults = 10;

    public static async Task<List<SimilarCustomer>> FindAsync(HarborDbContext db, NormalizedCompanyName name, IReadOnlyCollection<Guid> exclude, CancellationToken ct)
    {
        var grams = NameGrams.Of(name);
        if (grams.Count == 0)
            return [];
        // One round trip: the postings of the query's grams, grouped by customer. A customer that cannot reach
        // the threshold by the grams it shares is dropped in the database (CandidateBound): at 1,000,000
        // customers a frequent bigram lists hundreds of names, and scoring each costs more than the query.
        // Those sharing the most grams come first, so the cap keeps the likeliest.
        var bound = CandidateBound.Of(name, grams);
        var queries = Queries.For(db);
        var names = bound is null
            ? queries.Sharing(db, [.. grams])
            : queries.Bounded(db, [.. bound.Lookup], bound.Spelled, [.. bound.Brand], bound.BrandNeeded, [.. bound.Whole], bound.WholeNeeded);
        // Scored from (id, name) alone; only those at or above the threshold are loaded whole.
        var scores = new Dictionary<Guid, double>();
        await foreach (var candidate in names.WithCancellation(ct))
        {
            if (exclude.Contains(candidate.Id))
                continue;
            var score = NameSimilarity.Score(name, CompanyName.Normalize(candidate.Name));
            if (score >= NameSimilarity.Threshold)
                scores[candidate.Id] = score;
        }

        if (scores.Count == 0)
            return [];
        var candidates = await queries.ById(db, [.. scores.Keys]).ToListAsync(ct);
        // A merged-away name keeps its grams and stands for the customer it was merged into (issue 6).
        var into = await Conflicts.KeptAsync(db, candidates, tracked: false, ct);
        return candidates
            .Select(c => new SimilarCustomer(Conflicts.Resolve(c, into), scores[c.Id]))
            .Where(s => s.Customer.Status != CustomerStatus.Merged && !exclude.Contains(s.Customer.Id))
            .GroupBy(s => s.Customer.Id).Select(g => g.MaxBy(s => s.Score)!)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Customer.Name)
            .Take(MaxResults)
            .ToList();
    }

    private sealed record Candidate(Guid Id, string Name);

    /// <summary>
    /// The search's reads as compiled queries, one set per model (<see cref="PerModel{TQueries}"/>):
    /// built as plain LINQ, EF rebuilt and hashed each expression tree on every check, which was
    /// most of a check's garbage (bench/Harbor.Bench check: allocated per request).
    /// </summary>
    private abstract class Queries
    {
        public static Queries For(HarborDbContext db) => db switch
        {
            SqliteHarborDbContext => PerModel<Queries<SqliteHarborDbContext>>.Of(db),
            PostgresHarborDbContext => PerModel<Queries<PostgresHarborDbContext>>.Of(db),
            _ => throw new NotSupportedException($"No compiled similar-name queries for {db.GetType().Name}."),
        };

        /// <summary>Every customer sharing one of the grams, those sharing the most first.</summary>
        public abstract IAsyncEnumerable<Candidate> Sharing(HarborDbContext db, string[] lookup);

        /// <summary>
        /// The same, less those that cannot reach the threshold by the grams they share (<see cref="CandidateBound"/>):
        /// at 1,000,000 customers a frequent bigram lists hundreds of names, and scoring each costs more than the query.
        /// </summary>
        public abstract IAsyncEnumerable<Candidate> Bounded(HarborDbContext db, string[] lookup, string spelled, string[] brand, int brandNeeded, string[] whole, int wholeNeeded);

        public abstract IAsyncEnumerable<Customer> ById(HarborDbContext db, Guid[] ids);
    }

    private sealed class Queries<TContext> : Queries
        where TContext : HarborDbContext
    {
        private readonly Func<TContext, string[], IAsyncEnumerable<Candidate>> _sharing = EF.CompileAsyncQuery(
            (TContext db, string[] lookup) => db.CustomerNameGrams
                .Where(g => lookup.Contains(g.Gram))
                .GroupBy(g => g.CustomerId)
                .Select(p => new { Id = p.Key, Shared = p.Count() })
                .OrderByDescending(p => p.Shared).ThenBy(p => p.Id)
                .Take(MaxCandidates)
                .Join(db.Customers, p => p.Id, c => c.Id, (p, c) => new Candidate(c.Id, c.Name)));

        private readonly Func<TContext, string[], string, string[], int, string[], int, IAsyncEnumerable<Candidate>> _bounded = EF.CompileAsyncQuery(
            (TContext db, string[] lookup, string spelled, string[] brand, int brandNeeded, string[] whole, int wholeNeeded) => db.CustomerNameGrams
                .Where(g => lookup.Contains(g.Gram))
                .GroupBy(g => g.CustomerId)
                .Where(p => p.Count(g => g.Gram == spelled) > 0
                    || p.Count(g => brand.Contains(g.Gram)) >= brandNeeded
                    || p.Count(g => whole.Contains(g.Gram)) >= wholeNeeded)
                .Select(p => new { Id = p.Key, Shared = p.Count() })
                .OrderByDescending(p => p.Shared).ThenBy(p => p.Id)
                .Take(MaxCandidates)
                .Join(db.Customers, p => p.Id, c => c.Id, (p, c) => new Candidate(c.Id, c.Name)));

        private readonly Func<TContext, Guid[], IAsyncEnumerable<Customer>> _byId = EF.CompileAsyncQuery(
            (TContext db, Guid[] ids) => db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)));

        public override IAsyncEnumerable<Candidate> Sharing(HarborDbContext db, string[] lookup) => _sharing((TContext)db, lookup);

        public override IAsyncEnumerable<Candidate> Bounded(HarborDbContext db, string[] lookup, string spelled, string[] brand, int brandNeeded, string[] whole, int wholeNeeded) =>
            _bounded((TContext)db, lookup, spelled, brand, brandNeeded, whole, wholeNeeded);

        public override IAsyncEnumerable<Customer> ById(HarborDbContext db, Guid[] ids) => _byId((TContext)db, ids);
    }
}
