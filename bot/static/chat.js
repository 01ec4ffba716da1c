// The web chat: sends each message to POST /api/chat and shows the replies as plain text.
// Replies are untrusted text: they are only ever set with textContent, never as HTML.
"use strict";

(function () {
  // The conversation is the gateway's: it sets an HttpOnly cookie on the first answer and
  // the browser sends it back (same origin). The page never names a conversation itself.
  const WELCOME =
    "Xin chào! Tôi là trợ lý của bộ phận một cửa. Bạn có thể hỏi về giấy tờ cần chuẩn bị, " +
    "lệ phí, thời gian giải quyết, nơi nộp hồ sơ, hoặc tra cứu tình trạng hồ sơ bằng mã hồ sơ.";
  const EXAMPLES = [
    { title: "Giấy tờ làm khai sinh", payload: "giấy tờ làm khai sinh" },
    { title: "Lệ phí cấp sổ đỏ", payload: "lệ phí cấp sổ đỏ lần đầu" },
    { title: "Tra cứu hồ sơ", payload: "tra cứu tình trạng hồ sơ" },
  ];
  const OFFLINE_REPLY =
    "Không gửi được tin nhắn vì mất kết nối. Vui lòng kiểm tra mạng rồi thử lại.";
  const FAILED_REPLY = "Xin lỗi, hệ thống đang bận, vui lòng thử lại sau ít phút.";
  const TIMEOUT_MS = 20000;
  // Notifications about followed dossiers ("theo dõi hồ sơ"): the web chat has no push,
  // so the page asks for new ones now and then, from the last id it showed.
  const NOTIFIED_KEY = "assistant.notified";
  const POLL_MS = 15000;

  const list = document.getElementById("messages");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const send = document.getElementById("send");
  const typing = document.getElementById("typing");
  const offline = document.getElementById("offline");

  function scrollToEnd() {
    list.scrollTop = list.scrollHeight;
  }

  function addMessage(text, kind, buttons) {
    const item = document.createElement("li");
    item.className = "msg msg--" + kind;
    const body = document.createElement("div");
    body.className = "msg__text";
    body.textContent = text;
    item.appendChild(body);
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const button of buttons) {
        const choice = document.createElement("button");
        choice.type = "button";
        choice.textContent = String(button.title);
        choice.addEventListener("click", () => ask(String(button.payload), String(button.title)));
        row.appendChild(choice);
      }
      item.appendChild(row);
    }
    list.appendChild(item);
    scrollToEnd();
    return item;
  }

  function setBusy(busy) {
    typing.hidden = !busy;
    send.disabled = busy;
    if (busy) scrollToEnd();
  }

  async function ask(message, shownAs) {
    const text = message.trim();
    if (!text) return;
    addMessage(shownAs || text, "me");
    setBusy(true);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ message: text, locale: "vi" }),
        signal: controller.signal,
      });
      let data = null;
      try {
        data = await response.json();
      } catch (error) {
        data = null;
      }
      // A 503 still carries an apology in `replies`; show whatever replies came.
      if (data && Array.isArray(data.replies) && data.replies.length) {
        for (const reply of data.replies) {
          addMessage(String(reply.text || ""), "bot", reply.buttons);
        }
      } else if (data && typeof data.detail === "string") {
        addMessage(data.detail, "error");
      } else {
        addMessage(FAILED_REPLY, "error");
      }
    } catch (error) {
      addMessage(navigator.onLine === false ? OFFLINE_REPLY : FAILED_REPLY, "error");
    } finally {
      clearTimeout(timer);
      setBusy(false);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    input.style.height = "";
    ask(text);
    input.focus();
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  input.addEventListener("input", () => {
    input.style.height = "";
    input.style.height = Math.min(input.scrollHeight, 128) + "px";
  });

  function lastNotified() {
    try {
      const saved = JSON.parse(localStorage.getItem(NOTIFIED_KEY) || "null");
      if (saved && Number.isSafeInteger(saved.id)) return saved.id;
    } catch (error) {
      // No storage, or something else under the key: start from the beginning.
    }
    return 0;
  }

  let notified = lastNotified();
  let polling = false;

  async function pollNotifications() {
    if (polling || navigator.onLine === false) return;
    polling = true;
    try {
      const response = await fetch("/api/chat/notifications?after=" + notified, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const data = await response.json();
      const items = data && Array.isArray(data.notifications) ? data.notifications : [];
      for (const item of items) {
        const id = Number(item.id);
        if (!Number.isSafeInteger(id) || id <= notified) continue;
        addMessage(String(item.text || ""), "bot");
        notified = id;
      }
      try {
        localStorage.setItem(NOTIFIED_KEY, JSON.stringify({ id: notified }));
      } catch (error) {
        // Without storage the page may show a notification again after a reload.
      }
    } catch (error) {
      // Offline or the gateway restarting: the next tick tries again.
    } finally {
      polling = false;
    }
  }

  function showConnection() {
    offline.hidden = navigator.onLine !== false;
  }
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();

  addMessage(WELCOME, "bot", EXAMPLES);
  pollNotifications();
  setInterval(pollNotifications, POLL_MS);
})();
