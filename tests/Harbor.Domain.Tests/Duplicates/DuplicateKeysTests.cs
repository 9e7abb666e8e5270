using System.Security.Cryptography;
using System.Text;
using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class DuplicateKeysTests
{
    // The fingerprint of the normalisers' answers at DuplicateKeys.Version. When a normaliser changes, this
    // test fails: bump DuplicateKeys.Version (stored keys are then re-keyed at start) and copy the new
    // fingerprint from the failure message. Phone keys depend on the phone library the host plugs in, so their
    // fingerprint is in Harbor.Web.Tests (PhoneKeysTests).
    private const string Fingerprint = "8887CEC4229360B7";

    private static readonly string[] Codes = ["91440300708461136T", "91440300 7084 6113 6t", "9144030070846113", "abc"];

    [Fact]
    public void Version_NormalisersAnswers_MatchTheFingerprintOfThisVersion()
    {
        var text = new StringBuilder(DuplicateKeys.Version).Append('\n');
        foreach (var name in LabelledSet.Pairs.SelectMany(p => new[] { p.A, p.B }).Distinct(StringComparer.Ordinal))
            text.Append(CompanyName.Key(name)).Append('|').AppendJoin(',', NameGrams.Of(CompanyName.Normalize(name))).Append('\n');
        foreach (var code in Codes)
            text.Append(CreditCode.Key(code)).Append('\n');
        var actual = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];

        Assert.True(actual == Fingerprint,
            $"The normalisers' answers changed (fingerprint {actual}): bump DuplicateKeys.Version so that stored keys are re-keyed, then set Fingerprint = \"{actual}\".");
    }

    [Fact]
    public void Of_NamePhoneAndCode_AreTheNormalisersKeys()
    {
        var (name, phone, code) = DuplicateKeys.Of("北京星辰科技有限公司", "(010) 8888-6666", "91440300708461136t", TestPhones.Keys);

        Assert.Equal("星辰科技", name);
        Assert.Equal("+861088886666", phone);
        Assert.Equal("91440300708461136T", code);
    }
}
