// Harbor's reconnect handling for blazor.web.js: a flaky mobile connection should cost the
// salesperson nothing. Retry as soon as the tab is visible again; when the server no longer knows
// this page, reload it (the form draft comes back from the tab's session storage).
(() => {
    const modal = document.getElementById("components-reconnect-modal");
    if (!modal) return;

    const retryWhenVisible = async () => {
        if (document.visibilityState === "visible") await retry();
    };

    async function retry() {
        document.removeEventListener("visibilitychange", retryWhenVisible);
        try {
            const reconnected = await Blazor.reconnect();
            if (!reconnected) {
                const resumed = await Blazor.resumeCircuit();
                if (!resumed) location.reload(); else modal.close();
            }
        } catch {
            document.addEventListener("visibilitychange", retryWhenVisible);
        }
    }

    async function resume() {
        try {
            if (!await Blazor.resumeCircuit()) location.reload();
        } catch {
            location.reload();
        }
    }

    modal.addEventListener("components-reconnect-state-changed", event => {
        const state = event.detail.state;
        if (state === "show" && !modal.open) modal.showModal();
        else if (state === "hide" && modal.open) modal.close();
        else if (state === "failed") document.addEventListener("visibilitychange", retryWhenVisible);
        else if (state === "rejected" || (state === "resume-failed" && event.detail.remote === true)) location.reload();
    });
    document.getElementById("components-reconnect-button")?.addEventListener("click", retry);
    document.getElementById("components-resume-button")?.addEventListener("click", resume);
})();
