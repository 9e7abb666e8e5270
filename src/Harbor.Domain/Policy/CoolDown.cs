namespace Harbor.Domain.Policy;

/// <summary>
/// RULES.md, re-claim cool-down: a salesperson cannot take back a customer they gave up or lost
/// for ReclaimCoolDownDays, counted from the release event itself — not from what they hold now —
/// so a claim-and-release loop cannot get around it.
/// </summary>
public static class CoolDown
{
    /// <param name="lastLostAt">When the salesperson last gave the customer up or lost it, if ever.</param>
    public static Refusal? Check(Guid customerId, DateTimeOffset? lastLostAt, DateTimeOffset now, PolicySettings policy)
    {
        if (policy.ReclaimCoolDownDays == 0 || lastLostAt is not { } lostAt)
            return null;
        var until = lostAt.AddDays(policy.ReclaimCoolDownDays);
        return now < until ? new Refusal.CoolDown(customerId, until) : null;
    }

    /// <summary>How far back a lost customer can still block a claim.</summary>
    public static DateTimeOffset Horizon(DateTimeOffset now, PolicySettings policy) => now.AddDays(-policy.ReclaimCoolDownDays);
}
