namespace Harbor.Domain.Duplicates;

/// <summary>
/// The keys the duplicate check (查重, rule 3) matches on exactly, and the version of the normalisers that
/// compute them. Stored keys and name grams are only as good as the normaliser that wrote them: when
/// <see cref="Version"/> differs from the one stored with the registry, the web host re-keys every customer
/// and pending registration at start (docs/duplicates.md, "Re-keying").
/// </summary>
public static class DuplicateKeys
{
    /// <summary>
    /// Bump whenever <see cref="CompanyName.Key"/>, <see cref="PhoneKeys.Key"/> (and so the phone library's version), <see cref="CreditCode.Key"/> or
    /// <see cref="NameGrams.Of"/> give another answer for any input. DuplicateKeysTests holds a fingerprint of
    /// their answers that fails until this is bumped with it.
    /// </summary>
    public const string Version = "2026-11-26.e164";

    public static (string NameKey, string? PhoneKey, string? CreditCodeKey) Of(string name, string? phone, string? creditCode, PhoneKeys phones) =>
        (CompanyName.Key(name), phones.Key(phone), CreditCode.Key(creditCode));
}
