using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Extensions;
using Harbor.Web.Features.FollowUps;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>
/// The customer's page as each person meets it: the owner logs a follow-up in two taps, the clerk
/// submits an order for someone not in the sheet, the second extension of a month is refused with
/// the rule said in full, and a stranger sees nothing of the customer.
/// </summary>
public sealed class CustomerPageTests : IAsyncLifetime
{
    private const string Name = "北京星辰科技有限公司";
    private const string Phone = "13800138000";

    private readonly ComponentContext _ui = new();
    private Viewer _zhang = default!;
    private Viewer _li = default!;
    private Guid _customer;

    public async ValueTask InitializeAsync()
    {
        _zhang = await _ui.SalespersonAsync("张三", "华东组");
        _li = await _ui.SalespersonAsync("李四", "华南组");
        _customer = await _ui.RegisterAsync(_zhang, Name, Phone);
    }

    private IRenderedComponent<CustomerPage> Open(Viewer viewer, Guid? customer = null)
    {
        var cut = _ui.Render<CustomerPage>(p => p
            .Add(c => c.Id, customer ?? _customer)
            .AddCascadingValue(ComponentContext.SignedIn(viewer)));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-progress-linear")));
        return cut;
    }

    [Fact]
    public async Task FollowUp_TwoTaps_RecordsTheFollowUpAndMovesTheStage()
    {
        var cut = Open(_zhang);
        Assert.Contains("尚无跟进记录", cut.Find("[data-test='customer-stage']").TextContent);
        Assert.True(cut.Find("[data-test='save-followup']").HasAttribute("disabled"));

        cut.Find("[data-test='stage-chip'][data-stage='first-meeting']").Click();
        cut.Find("[data-test='save-followup']").Click();

        cut.WaitForAssertion(() => Assert.Equal("约见面谈", cut.Find("[data-test='customer-stage']").TextContent.Trim()));
        var entry = cut.Find("[data-test='timeline-item'][data-kind='followup']");
        Assert.Contains("跟进：约见面谈", entry.TextContent);
        Assert.Contains("张三", entry.TextContent);
        var history = await _ui.RunAsync<ReadHistory, Result<HistoryResponse>>(h => h.HandleAsync(_zhang, _customer, CancellationToken.None));
        var followUp = Assert.Single(history.Value!.FollowUps);
        Assert.Equal("first-meeting", followUp.Stage);
        Assert.Null(followUp.Note);
        // Ready for the next contact: nothing picked, save waits for a stage.
        Assert.Empty(cut.FindAll("[data-test='stage-chip'][data-picked='true']"));
    }

    [Fact]
    public async Task Order_ClerkForSomeoneNotInTheSheet_ShowsNotInSheetAndNoCredit()
    {
        var clerk = await _ui.PersonAsync(Role.Clerk, "王文员", null);
        var cut = Open(clerk);

        var select = cut.FindComponent<MudSelect<Guid?>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(_li.Id));
        cut.Find("[data-test='order-amount'] input, input[data-test='order-amount']").Input("1000.5");
        cut.Find("[data-test='submit-order']").Click();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-test='order-result']").GetAttribute("data-credited")));
        Assert.Contains("¥1,000.50", cut.Find("[data-test='order-result']").TextContent);
        Assert.Contains("not-in-sheet", cut.Find("[data-test='order-reason']").TextContent);
        Assert.Contains("不在该销售的跟进表中", cut.Find("[data-test='order-reason']").TextContent);
        Assert.Empty(cut.FindAll("[data-test='order-credit']"));
        // Rule 9: an uncredited order does not sign the customer.
        Assert.Contains("保护中", cut.Find("[data-test='status-chip']").TextContent);
    }

    [Fact]
    public async Task Order_Owner_IsCreditedAndSignsTheCustomer()
    {
        var cut = Open(_zhang);

        cut.Find("[data-test='order-amount'] input, input[data-test='order-amount']").Input("2000");
        cut.Find("[data-test='submit-order']").Click();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-test='order-result']").GetAttribute("data-credited")));
        Assert.Contains("张三：¥2,000.00", cut.Find("[data-test='order-credit']").TextContent);
        Assert.Contains("已签约", cut.Find("[data-test='status-chip']").TextContent);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Extension_SecondInAMonth_IsRefusedWithTheRuleExplained()
    {
        var other = await _ui.RegisterAsync(_zhang, "上海云帆网络科技有限公司");
        var first = await _ui.RunAsync<RequestExtension, Result<ExtensionCreated>>(r =>
            r.HandleAsync(_zhang, new ExtensionRequestBody(other, 3, "客户下周出差回来"), CancellationToken.None));
        Assert.True(first.Succeeded);
        var cut = Open(_zhang);

        cut.Find("[data-test='extension-days'] input, input[data-test='extension-days']").Input("3");
        cut.Find("[data-test='extension-reason'] textarea, textarea[data-test='extension-reason']").Input("等待客户董事会决策");
        cut.Find("[data-test='request-extension']").Click();

        cut.WaitForAssertion(() => cut.Find("[data-test='extension-result']"));
        var text = cut.Find("[data-test='extension-result']").TextContent;
        Assert.Contains("每位销售每月最多 1 次延期", text);
        Assert.Contains("被驳回的不计", text);
        Assert.Contains("1月1日 起可再申请", text);
        Assert.Empty(cut.FindAll("[data-test='timeline-item'][data-kind='extension']"));
    }

    [Fact]
    public void Extension_FirstOfTheMonth_WaitsForTheManager()
    {
        var cut = Open(_zhang);

        cut.Find("[data-test='extension-days'] input, input[data-test='extension-days']").Input("3");
        cut.Find("[data-test='extension-reason'] textarea, textarea[data-test='extension-reason']").Input("等待客户董事会决策");
        cut.Find("[data-test='request-extension']").Click();

        cut.WaitForAssertion(() => Assert.Contains("等待经理审批", cut.Find("[data-test='extension-result']").TextContent));
        Assert.Contains("延期申请 3 天：待审批", cut.Find("[data-test='timeline-item'][data-kind='extension']").TextContent);
    }

    [Fact]
    public async Task Stranger_GetsTheDeniedPage_AndNothingOfTheCustomer()
    {
        await _ui.RunAsync<RecordFollowUp, Result<FollowUpRecorded>>(r =>
            r.HandleAsync(_zhang, _customer, new FollowUpBody("first-meeting", "约了周三面谈", null), CancellationToken.None));

        var cut = Open(_li);

        Assert.NotNull(cut.Find("[data-test='customer-denied']"));
        Assert.DoesNotContain(Name, cut.Markup);
        Assert.DoesNotContain(Phone, cut.Markup);
        Assert.DoesNotContain("约了周三面谈", cut.Markup);
        Assert.DoesNotContain("张三", cut.Markup);
        Assert.Empty(cut.FindAll("[data-test='followup-form']"));
        Assert.Empty(cut.FindAll("[data-test='order-form']"));
    }

    [Fact]
    public void UnknownCustomer_SaysNotFound()
    {
        var cut = Open(_zhang, Guid.NewGuid());

        Assert.Contains("找不到客户", cut.Find("[data-test='customer-denied']").TextContent);
    }

    [Fact]
    public void Owner_SeesDetailsDueDateAndTheRegistrationInTheHistory()
    {
        var cut = Open(_zhang);

        Assert.Contains(Phone, cut.Find("[data-test='customer-summary']").TextContent);
        Assert.Contains("12月16日", cut.Find("[data-test='customer-due']").TextContent);
        Assert.Contains("剩 15 天", cut.Find("[data-test='customer-due']").TextContent);
        Assert.Contains("录入到 张三 名下", cut.Find("[data-test='timeline-item'][data-kind='event-registered']").TextContent);
        Assert.NotNull(cut.Find("[data-test='cooperation-form']"));
    }

    [Fact]
    public async Task Merge_TheClerkFindsTheSameCompanyRegisteredTwiceAndMergesIt()
    {
        // Approved as new by the clerk, later found to be the same company as 张三's.
        var registration = await _ui.RegisterAsync(_li, "星辰网络科技有限公司");
        var approved = await _ui.RunAsync<Features.Reviews.ReviewQueue, Result<Features.Reviews.ReviewDecision>>(q =>
            q.ApproveAsync(new Viewer(Guid.NewGuid(), Role.Clerk, null), registration, CancellationToken.None));
        var twin = approved.Value!.CustomerId!.Value;
        var clerk = await _ui.PersonAsync(Role.Clerk, "王文员", null);
        var dialogs = _ui.Render<MudDialogProvider>();
        var cut = Open(clerk, twin);

        await cut.Find("[data-test='merge']").ClickAsync();

        dialogs.WaitForAssertion(() => Assert.Contains("星辰网络科技有限公司", dialogs.Find("[data-test='merge-away']").TextContent));
        Assert.Contains(Name, dialogs.FindAll("[data-test='merge-target']").Select(t => t.GetAttribute("data-name")));
        Assert.Empty(Open(_li, twin).FindAll("[data-test='merge']"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
