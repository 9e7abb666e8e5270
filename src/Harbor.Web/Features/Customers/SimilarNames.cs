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
        var ids = await db.CustomerNameGrams.AsNoTracking()
            .Where(g => grams.Contains(g.Gram))
            .Select(g => g.CustomerId).Distinct().Take(MaxCandidates)
            .ToListAsync(ct);
        ids.RemoveAll(exclude.Contains);
        if (ids.Count == 0)
            return [];
        // Scored from (id, name) alone; only those at or above the threshold are loaded whole.
        // A common brand lists hundreds of candidates at a million customers, and each entity
        // materialised costs more than its score.
        var names = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var scores = names
            .Select(c => (c.Id, Score: NameSimilarity.Score(name, CompanyName.Normalize(c.Name))))
            .Where(s => s.Score >= NameSimilarity.Threshold)
            .ToDictionary(s => s.Id, s => s.Score);
        if (scores.Count == 0)
            return [];
        var scoredIds = scores.Keys.ToList();
        var candidates = await db.Customers.AsNoTracking().Where(c => scoredIds.Contains(c.Id)).ToListAsync(ct);
        // A merged-away name keeps its grams and stands for the customer it was merged into (issue 6).
        var kept = await Conflicts.KeptAsync(db, candidates, tracked: false, ct);
        return candidates
            .Select(c => new SimilarCustomer(Conflicts.Resolve(c, kept), scores[c.Id]))
            .Where(s => s.Customer.Status != CustomerStatus.Merged && !exclude.Contains(s.Customer.Id))
            .GroupBy(s => s.Customer.Id).Select(g => g.MaxBy(s => s.Score)!)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Customer.Name)
            .Take(MaxResults)
            .ToList();
    }
}
