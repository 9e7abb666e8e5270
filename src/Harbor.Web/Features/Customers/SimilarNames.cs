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
        var lookup = bound?.Lookup ?? grams;
        var postings = db.CustomerNameGrams.Where(g => lookup.Contains(g.Gram)).GroupBy(g => g.CustomerId);
        if (bound is not null)
        {
            var (brand, spelled, brandNeeded, whole, wholeNeeded) = (bound.Brand, bound.Spelled, bound.BrandNeeded, bound.Whole, bound.WholeNeeded);
            postings = postings.Where(p => p.Count(g => g.Gram == spelled) > 0
                || p.Count(g => brand.Contains(g.Gram)) >= brandNeeded
                || p.Count(g => whole.Contains(g.Gram)) >= wholeNeeded);
        }

        var names = await postings
            .Select(p => new { Id = p.Key, Shared = p.Count() })
            .OrderByDescending(p => p.Shared).ThenBy(p => p.Id)
            .Take(MaxCandidates)
            .Join(db.Customers, p => p.Id, c => c.Id, (p, c) => new { c.Id, c.Name })
            .AsNoTracking()
            .ToListAsync(ct);
        // Scored from (id, name) alone; only those at or above the threshold are loaded whole.
        var scores = new Dictionary<Guid, double>();
        foreach (var candidate in names)
        {
            if (exclude.Contains(candidate.Id))
                continue;
            var score = NameSimilarity.Score(name, CompanyName.Normalize(candidate.Name));
            if (score >= NameSimilarity.Threshold)
                scores[candidate.Id] = score;
        }

        if (scores.Count == 0)
            return [];
        var scoredIds = scores.Keys.ToList();
        var candidates = await db.Customers.AsNoTracking().Where(c => scoredIds.Contains(c.Id)).ToListAsync(ct);
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
}
