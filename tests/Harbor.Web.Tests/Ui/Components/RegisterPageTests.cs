using Bunit;
using Harbor.Domain.Access;
using Harbor.Web.Components.Shared;
using Harbor.Web.Features.Registrations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>
/// The register page's draft in the tab (session storage): it comes back after a reload, but never
/// over what was typed, and never after the registration is done.
/// </summary>
public sealed class RegisterPageTests : IAsyncLifetime
{
    private const string Typed = "上海云帆网络科技有限公司";

    private readonly PageContext _ui = new();
    private Viewer _zhang = default!;

    public async ValueTask InitializeAsync() => _zhang = await _ui.PersonAsync(Role.Salesperson, "张三", "华东组");

    [Fact]
    public async Task Draft_ArrivingAfterTheFirstKeystroke_DoesNotOverwriteWhatWasTyped()
    {
        // The tab still holds an older draft; the browser is slow to hand it over.
        var older = await ProtectedDraftAsync(new Register.RegisterDraft { OwnerId = _zhang.Id, Name = "北京星辰科技有限公司", Phone = "13800138000" });
        var getItem = _ui.Bunit.JSInterop.Setup<string>("sessionStorage.getItem", _ => true);
        var cut = _ui.RenderAs<Register>(_zhang);

        cut.Find("input[data-test='name'], [data-test='name'] input").Input(Typed);
        getItem.SetResult(older);

        cut.WaitForAssertion(() => Assert.Equal(Typed, cut.Find("[data-test='name'] input, input[data-test='name']").GetAttribute("value")));
        Assert.Equal("", cut.Find("[data-test='phone'] input, input[data-test='phone']").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Draft_InTheTab_ComesBackWhenNothingWasTyped()
    {
        var saved = await ProtectedDraftAsync(new Register.RegisterDraft { OwnerId = _zhang.Id, Name = Typed, Phone = "13900139002" });
        _ui.Bunit.JSInterop.Setup<string>("sessionStorage.getItem", _ => true).SetResult(saved);

        var cut = _ui.RenderAs<Register>(_zhang);

        cut.WaitForAssertion(() => Assert.Equal(Typed, cut.Find("[data-test='name'] input, input[data-test='name']").GetAttribute("value")));
        Assert.Equal("13900139002", cut.Find("[data-test='phone'] input, input[data-test='phone']").GetAttribute("value"));
    }

    [Fact]
    public void Registered_AKeystrokeHandledAfterTheSubmit_WritesNoDraftBack()
    {
        _ui.Bunit.JSInterop.Setup<string>("sessionStorage.getItem", _ => true).SetResult(null!);
        var cut = _ui.RenderAs<Register>(_zhang);
        var name = cut.Find("[data-test='name'] input, input[data-test='name']");
        name.Input(Typed);
        _ui.Clock.Advance(LiveConflictCheck.Debounce);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='no-conflict']")));

        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.EndsWith("/my-customers", _ui.Bunit.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        var removed = _ui.Bunit.JSInterop.Invocations["sessionStorage.removeItem"];
        Assert.Single(removed);

        // The phone's input event was still queued behind the submit when it ran.
        cut.Find("[data-test='phone'] input, input[data-test='phone']").Input("13900139002");

        var writes = _ui.Bunit.JSInterop.Invocations.Where(i => i.Identifier is "sessionStorage.setItem" or "sessionStorage.removeItem").ToList();
        Assert.Equal("sessionStorage.removeItem", writes[^1].Identifier);
    }

    [Fact]
    public void Draft_WrittenUnderKeysThisServerNoLongerHas_IsDroppedAndThePageWorks()
    {
        _ui.Bunit.JSInterop.Setup<string>("sessionStorage.getItem", _ => true).SetResult("CfDJ8-not-ours");

        var cut = _ui.RenderAs<Register>(_zhang);

        cut.WaitForAssertion(() => Assert.Single(_ui.Bunit.JSInterop.Invocations["sessionStorage.removeItem"]));
        cut.Find("[data-test='name'] input, input[data-test='name']").Input(Typed);
        Assert.Equal(Typed, cut.Find("[data-test='name'] input, input[data-test='name']").GetAttribute("value"));
    }

    /// <summary>A draft as the page itself would have written it into the tab.</summary>
    private async Task<string> ProtectedDraftAsync(Register.RegisterDraft draft)
    {
        await using var scope = _ui.Bunit.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ProtectedSessionStorage>().SetAsync(Register.DraftKey, draft);
        var written = _ui.Bunit.JSInterop.Invocations["sessionStorage.setItem"][^1];
        return (string)written.Arguments[1]!;
    }

    public async ValueTask DisposeAsync() => await _ui.DisposeAsync();
}
