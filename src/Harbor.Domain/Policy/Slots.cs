namespace Harbor.Domain.Policy;

/// <summary>Rule 1 and rule 3: a salesperson holds at most SlotLimit active protections.</summary>
public static class Slots
{
    /// <summary>
    /// Whether one more protection fits. Giving one up in the same step frees its slot first
    /// (rule 3: "give up an old customer first, then add the new one").
    /// </summary>
    public static Refusal? CheckFreeSlot(int slotsUsed, int slotLimit, bool releasingOne)
    {
        var after = slotsUsed - (releasingOne ? 1 : 0) + 1;
        return after <= slotLimit ? null : new Refusal.QuotaFull(slotLimit);
    }
}
