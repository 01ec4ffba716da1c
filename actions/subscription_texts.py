"""What the subscription actions say (`actions.subscriptions`), in one place."""

from __future__ import annotations

__all__ = [
    "ALREADY_FOLLOWING",
    "ASK_WHICH",
    "CODE_SENT",
    "CONFIRMED",
    "EXPIRED",
    "LOCKED",
    "NEED_CODE",
    "NOTHING_TO_END",
    "NOTHING_TO_END_FOR",
    "NOT_HERE",
    "NO_CHALLENGE",
    "NO_CODE_AT_NIGHT",
    "NO_CODE_NOW",
    "NO_PHONE",
    "OPTED_OUT",
    "SMS_ALREADY",
    "UNAVAILABLE",
    "UNSUBSCRIBED",
    "WRONG_CODE",
]

ASK_WHICH = (
    'Bạn muốn theo dõi hồ sơ nào? Nhắn "theo dõi hồ sơ" kèm mã hồ sơ in trên giấy tiếp '
    "nhận, ví dụ: theo dõi hồ sơ 000.00.06.H56-231027-0361."
)
SMS_ALREADY = (
    "Tin nhắn SMS báo tiến độ hồ sơ được gửi tự động tới số điện thoại đã khai trong hồ sơ, "
    "bạn không cần đăng ký thêm."
)
NO_PHONE = (
    "Hồ sơ {code} không có số điện thoại để gửi mã xác nhận, nên mình chưa thể đăng ký theo "
    "dõi. Bạn vui lòng liên hệ Bộ phận Tiếp nhận và Trả kết quả nơi nộp hồ sơ."
)
OPTED_OUT = (
    "Số điện thoại của hồ sơ {code} đã từ chối nhận SMS nên mình không gửi được mã xác nhận. "
    "Từ số đó, nhắn START (hoặc DK) để nhận lại SMS rồi thử lại nhé."
)
# Capped or at night: says nothing of whose cap, nor how many codes were asked for.
NO_CODE_NOW = "Mình chưa thể gửi thêm mã xác nhận lúc này. Bạn vui lòng thử lại sau nhé."
NO_CODE_AT_NIGHT = (
    "Mình không gửi mã xác nhận qua SMS vào ban đêm. Bạn vui lòng thử lại vào buổi sáng nhé."
)
CODE_SENT = (
    "Mình đã gửi mã xác nhận gồm 6 chữ số qua SMS tới số điện thoại {phone} của hồ sơ {code}. "
    "Bạn nhập mã đó vào đây để bắt đầu theo dõi (mã có hiệu lực {minutes} phút)."
)
ALREADY_FOLLOWING = (
    "Cuộc trò chuyện này đang theo dõi hồ sơ {code} rồi. Mỗi khi hồ sơ đổi trạng thái, mình "
    'sẽ nhắn bạn ở đây. Nhắn "hủy theo dõi" nếu không muốn nhận nữa.'
)
CONFIRMED = (
    "Đã xác nhận! Từ giờ, mỗi khi hồ sơ {code} đổi trạng thái, mình sẽ nhắn bạn ở đây. "
    "Cuộc trò chuyện này cũng xem được quá trình xử lý và phí, lệ phí của hồ sơ: bạn chỉ "
    'cần nhắn mã hồ sơ. Nhắn "hủy theo dõi" khi không muốn nhận nữa.'
)
NEED_CODE = "Bạn nhập mã xác nhận gồm 6 chữ số đã được gửi qua SMS nhé."
NO_CHALLENGE = (
    "Mình chưa gửi mã xác nhận nào cho cuộc trò chuyện này. Để theo dõi một hồ sơ, nhắn "
    '"theo dõi hồ sơ" kèm mã hồ sơ.'
)
WRONG_CODE = "Mã xác nhận chưa đúng. Bạn còn {attempts} lần thử."
LOCKED = 'Bạn đã nhập sai mã quá nhiều lần. Nhắn "theo dõi hồ sơ" kèm mã hồ sơ để nhận mã mới.'
EXPIRED = 'Mã xác nhận đã hết hạn. Nhắn "theo dõi hồ sơ" kèm mã hồ sơ để nhận mã mới.'
NOT_HERE = "Kênh trò chuyện này chưa hỗ trợ theo dõi hồ sơ."
UNSUBSCRIBED = "Đã hủy theo dõi hồ sơ {codes}. Bạn sẽ không nhận tin báo về hồ sơ này ở đây nữa."
NOTHING_TO_END = "Cuộc trò chuyện này không theo dõi hồ sơ nào."
NOTHING_TO_END_FOR = "Cuộc trò chuyện này không theo dõi hồ sơ {code}."
UNAVAILABLE = "Xin lỗi, việc theo dõi hồ sơ đang tạm gián đoạn. Bạn vui lòng thử lại sau ít phút."
