"""How citizens ask the six procedure questions: templates for catalog/nlu_gen.py.

`{p}` is where the procedure's name goes. Written from how people type to a commune
office's page (colloquial and formal, with the particles they add), never from the
held-out test questions. An opener or a closing particle is added to some at random.
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "CLOSERS", "OPENERS", "TEMPLATES"]

TEMPLATES: dict[str, tuple[str, ...]] = {
    "ask_documents": (
        "{p} cần giấy tờ gì",
        "muốn {p} thì cần chuẩn bị những gì",
        "hồ sơ {p} gồm những gì",
        "{p} phải nộp những giấy tờ nào",
        "đi {p} cần mang theo gì",
        "thủ tục {p} cần hồ sơ gì",
        "{p} thì phải có những giấy gì",
        "làm {p} cần chuẩn bị hồ sơ ra sao",
        "thành phần hồ sơ {p} gồm những giấy tờ gì",
        "{p} cần mấy bộ hồ sơ",
        "nhà tôi định {p}, cần những giấy tờ gì",
        "{p} có cần bản sao chứng thực không",
        "{p} thì mang giấy tờ gì đi nộp",
        "giấy tờ để {p} gồm những gì",
        "{p} cần tờ khai mẫu nào",
        "hồ sơ xin {p} cần những gì",
    ),
    "ask_fee": (
        "{p} hết bao nhiêu tiền",
        "lệ phí {p} là bao nhiêu",
        "{p} có mất phí không",
        "{p} tốn bao nhiêu tiền",
        "phí {p} bao nhiêu",
        "làm {p} phải đóng bao nhiêu tiền",
        "{p} có phải nộp lệ phí không",
        "mức thu lệ phí {p} thế nào",
        "{p} có được miễn phí không",
        "{p} nộp online có được giảm lệ phí không",
        "chi phí {p} khoảng bao nhiêu",
        "{p} mất tiền không",
        "{p} thu phí bao nhiêu một hồ sơ",
        "đi {p} phải chuẩn bị bao nhiêu tiền lệ phí",
        "tiền lệ phí khi {p}",
    ),
    "ask_processing_time": (
        "{p} mất mấy ngày",
        "{p} bao lâu thì có kết quả",
        "{p} mất bao lâu",
        "thời gian giải quyết {p} là bao lâu",
        "{p} mấy ngày thì xong",
        "nộp hồ sơ {p} rồi bao lâu thì nhận được",
        "{p} có lấy trong ngày được không",
        "thời hạn giải quyết {p} bao nhiêu ngày",
        "{p} phải chờ bao nhiêu ngày làm việc",
        "bao lâu thì {p} xong",
        "{p} khoảng mấy hôm thì có",
        "{p} có lâu không",
        "{p} giải quyết trong bao nhiêu ngày",
    ),
    "ask_where_to_file": (
        "{p} nộp ở đâu",
        "{p} làm ở đâu",
        "muốn {p} thì đến cơ quan nào",
        "cơ quan nào giải quyết {p}",
        "{p} thì lên xã hay lên tỉnh",
        "nộp hồ sơ {p} ở đâu",
        "{p} nộp cho cơ quan nào",
        "{p} có nộp ở ủy ban xã được không",
        "đi {p} thì ra đâu",
        "{p} nộp tại bộ phận một cửa nào",
        "nơi tiếp nhận hồ sơ {p}",
        "{p} thuộc thẩm quyền cơ quan nào",
        "{p} phải lên sở hay làm ở xã",
        "chỗ nào nhận hồ sơ {p}",
    ),
    "ask_online": (
        "{p} làm online được không",
        "{p} có nộp trực tuyến được không",
        "{p} nộp qua mạng được không",
        "có thể {p} trên dịch vụ công không",
        "{p} làm trên vneid được không",
        "{p} có dịch vụ công trực tuyến không",
        "{p} có làm toàn trình online không",
        "{p} có phải đến nộp trực tiếp không",
        "link nộp hồ sơ {p} online",
        "{p} nộp qua cổng dịch vụ công quốc gia được không",
        "muốn {p} ở nhà qua mạng thì có được không",
        "{p} đăng ký trực tuyến thế nào",
        "{p} có gửi hồ sơ qua bưu điện được không",
        "nộp online {p} được không",
    ),
    "ask_steps": (
        "thủ tục {p} thế nào",
        "{p} làm thế nào",
        "các bước {p}",
        "quy trình {p} ra sao",
        "hướng dẫn {p}",
        "{p} thì làm những bước nào",
        "trình tự thực hiện {p}",
        "muốn {p} thì bắt đầu từ đâu",
        "{p} làm như thế nào",
        "cách {p}",
        "thủ tục {p} gồm những bước gì",
        "{p} phải làm sao",
        "trình tự {p} như thế nào",
        "hướng dẫn các bước {p} giúp mình",
    ),
}

# What some people type before the question, and the particles they end it with.
OPENERS: tuple[str, ...] = (
    "cho em hỏi ",
    "cho mình hỏi ",
    "xin hỏi ",
    "ad ơi ",
    "chị ơi cho hỏi ",
    "cho tôi hỏi ",
    "anh chị cho hỏi ",
    "mình muốn hỏi ",
)
CLOSERS: tuple[str, ...] = (" ạ", " vậy", " ạ?", "?", " nhỉ", " ad", " vậy ạ")

# Shorthand in messages typed without diacritics (folded word → what people type).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "khong": ("ko", "k", "khg"),
    "duoc": ("dc", "dk"),
    "bao nhieu": ("bn", "bnhieu"),
    "gi": ("j",),
    "the nao": ("tn", "ntn"),
    "voi": ("vs",),
    "em": ("e",),
    "minh": ("mk",),
}
