using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>
/// The similar-name search drops in the database the names that cannot reach the threshold (CandidateBound):
/// the ones that can are still found, on both engines.
/// </summary>
public sealed class SimilarNameBoundTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_ThreeCharacterBrandBySound_FoundAndOneBigramAloneIsNot(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync("杭州星辰岳科技有限公司");
        var other = await owner.Client.RegisterOkAsync("杭州星辰帆贸易有限公司");

        var body = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "星晨岳科技有限公司" })).AssertStatusAsync(HttpStatusCode.OK);

        var matches = body.GetProperty("matches").EnumerateArray().ToList();
        var match = Assert.Single(matches, m => m.GetProperty("customerId").GetGuid() == id);
        Assert.Equal("similar-name", match.GetProperty("match").GetString());
        Assert.DoesNotContain(matches, m => m.GetProperty("customerId").GetGuid() == other);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_NameWithoutBrand_ComparedByWholeKey_Found(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        // 大同 is a city: the registered name has no brand and stores its whole key's bigrams.
        var id = await owner.Client.RegisterOkAsync("大同物流有限公司");

        var body = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "大通物流有限公司" })).AssertStatusAsync(HttpStatusCode.OK);

        var match = Assert.Single(body.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == id);
        Assert.Equal("similar-name", match.GetProperty("match").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_TwoCharacterBrand_FindsTheSameSoundNotLongerBrands(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var same = await owner.Client.RegisterOkAsync("南京岳帆科技有限公司");
        var longer = await owner.Client.RegisterOkAsync("南京岳帆华贸易有限公司");

        var body = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "岳凡科技" })).AssertStatusAsync(HttpStatusCode.OK);

        var matches = body.GetProperty("matches").EnumerateArray().ToList();
        Assert.Single(matches, m => m.GetProperty("customerId").GetGuid() == same);
        Assert.DoesNotContain(matches, m => m.GetProperty("customerId").GetGuid() == longer);
    }
}
