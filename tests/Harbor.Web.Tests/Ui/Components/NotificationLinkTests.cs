using System.Text.Json.Nodes;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>A tap on a notification opens the page on which to act on it.</summary>
public class NotificationLinkTests
{
    private static JsonObject Item(string kind, Guid? customerId) =>
        new() { ["kind"] = kind, ["customerId"] = customerId?.ToString() };

    [Theory]
    [InlineData(NotificationKinds.DueTomorrow)]
    [InlineData(NotificationKinds.ExtensionDecided)]
    [InlineData(NotificationKinds.CooperationDecided)]
    [InlineData(NotificationKinds.RegistrationReviewed)]
    public void A_notice_about_one_customer_opens_that_customers_page(string kind)
    {
        var id = Guid.NewGuid();
        Assert.Equal($"/customers/{id}", NotificationTexts.Link(Item(kind, id)));
    }

    [Fact]
    public void A_rejected_registration_has_no_customer_and_opens_the_sheet() =>
        Assert.Equal("/my-customers", NotificationTexts.Link(Item(NotificationKinds.RegistrationReviewed, null)));

    [Fact]
    public void A_publication_opens_the_pool() =>
        Assert.Equal("/pool", NotificationTexts.Link(Item(NotificationKinds.Published, null)));

    [Fact]
    public void A_request_opens_the_approvals_inbox() =>
        Assert.Equal("/approvals", NotificationTexts.Link(Item(NotificationKinds.ExtensionRequested, Guid.NewGuid())));
}
