"""Resolution over the national catalog: duplicates, short forms, specificity, popularity."""

from __future__ import annotations

from datetime import date

import pytest
from catalog_builders import entry
from sqlalchemy.orm import Session

from catalog.name_forms import short_forms
from catalog.national.models import NationalProcedure
from catalog.popularity import LOCAL_FLOOR, default_popularity
from catalog.queries import ProcedureNames, procedure_names
from catalog.resolve import ProcedureResolver
from catalog.store import import_entries

COMMUNE = default_popularity(name="x", level="commune", kind="STANDARD", detailed=True)
LISTED = default_popularity(name="x", level=None, kind="STANDARD", detailed=False)
PROVINCE = default_popularity(
    name="x (thực hiện tại cấp tỉnh)", level=None, kind="", detailed=False
)

NAMES = [
    ProcedureNames("1.001193", "Đăng ký khai sinh", ("khai sinh", "làm giấy khai sinh"), 100),
    ProcedureNames("1.004884", "Thủ tục đăng ký lại khai sinh", (), COMMUNE),
    ProcedureNames("1.013225", "Cấp giấy phép xây dựng mới", ("giấy phép xây dựng",), 55),
    ProcedureNames("1.005126", "Cấp Giấy phép xây dựng, cải tạo, nâng cấp đường ngang", (), LISTED),
    ProcedureNames("3.000346", "Cấp giấy phép lái xe", (), LISTED),
    ProcedureNames("3.000348", "Cấp lại giấy phép lái xe", (), LISTED),
    ProcedureNames("3.000352", "Thu hồi giấy phép lái xe", (), LISTED),
    ProcedureNames("1.115452", "Hòa giải tranh chấp đất đai thuộc thẩm quyền cấp xã", (), COMMUNE),
    ProcedureNames("1.012812", "Hòa giải tranh chấp đất đai", (), LISTED),
    ProcedureNames("1.115320", "Đính chính Giấy chứng nhận đã cấp lần đầu có sai sót", (), COMMUNE),
    ProcedureNames(
        "1.115355", "Đính chính Giấy chứng nhận đã cấp lần đầu có sai sót", (), PROVINCE
    ),
    ProcedureNames("1.014063", "Cấp đổi thẻ căn cước", (), LISTED),
    ProcedureNames("1.014064", "Cấp lại thẻ căn cước", (), LISTED),
    ProcedureNames(
        "1.013226",
        "Cấp điều chỉnh giấy phép xây dựng đối với công trình cấp III, cấp IV (công trình...)",
        (),
        COMMUNE,
    ),
]


@pytest.fixture(scope="module")
def national() -> ProcedureResolver:
    return ProcedureResolver(NAMES)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The more specific name wins when the message names all of it.
        ("muốn đăng ký lại khai sinh thì cần gì", "1.004884"),
        ("dang ky khai sinh cho con", "1.001193"),
        ("cap lai giay phep lai xe can gi", "3.000348"),
        ("thi dau roi cap giay phep lai xe", "3.000346"),
        # A leading stop word is part of the name: "thu hồi" is not "cấp".
        ("thu hoi giay phep lai xe", "3.000352"),
        # Popularity settles a near tie: the house permit, not the railway crossing's.
        ("xin giay phep xay dung", "1.013225"),
        # The head of a long national name, cut at its qualifiers, names it.
        ("dieu chinh giay phep xay dung nop o dau", "1.013226"),
        # Records sharing a name: the commune office's one.
        ("hoa giai tranh chap dat dai", "1.115452"),
        ("dinh chinh giay chung nhan da cap lan dau co sai sot", "1.115320"),
    ],
)
def test_national_phrasings(national: ProcedureResolver, text: str, code: str) -> None:
    best = national.resolve(text).best
    assert (best.code if best else None) == code


def test_equally_likely_procedures_are_offered_as_a_choice(national: ProcedureResolver) -> None:
    resolution = national.resolve("lam the can cuoc")
    assert resolution.best is None
    offered = {candidate.code for candidate in resolution.candidates}
    assert {"1.014063", "1.014064"} <= offered and len(offered) <= 4


def test_default_popularity_ranks_what_a_commune_office_handles_first() -> None:
    specific = default_popularity(name="x", level="commune", kind="SPECIFIC", detailed=True)
    ministry = default_popularity(name="x (cấp trung ương)", level=None, kind="", detailed=False)
    embassy = default_popularity(name="x tại Cơ quan đại diện", level=None, kind="", detailed=False)
    assert LOCAL_FLOOR > COMMUNE > specific > LISTED > PROVINCE > ministry >= embassy >= 0


def test_short_forms_cut_at_qualifiers_and_keep_enough_words() -> None:
    assert short_forms("Cấp thẻ căn cước cho người dưới 14 tuổi (thực hiện tại cấp tỉnh)") == [
        "cap the can cuoc cho nguoi duoi 14 tuoi"
    ]
    assert short_forms("Thủ tục thông báo tổ chức lễ hội cấp xã") == [
        "thu tuc thong bao to chuc le hoi"
    ]
    # Too little left to name anything: "xác nhận" alone is not a procedure.
    assert short_forms("Thủ tục xác nhận đối với quân nhân đã xuất ngũ") == []
    assert short_forms("Đăng ký kết hôn") == []


def _national(code: str, name: str, *, level: str | None, detailed: bool) -> NationalProcedure:
    return NationalProcedure(
        code=code,
        name=name,
        detailed=detailed,
        fields={"level": level, "type": "STANDARD"},
        record={"code": code, "name": name},
        source="test",
        fetched_on=date(2026, 7, 18),
    )


def test_procedure_names_cover_national_and_local(session: Session) -> None:
    session.add_all(
        [
            _national("9.100001", "Đăng ký giám hộ", level="commune", detailed=True),
            _national(
                "9.100002", "Cấp hộ chiếu (thực hiện tại cấp tỉnh)", level=None, detailed=False
            ),  # fmt: skip
            _national("9.100003", "Thủ tục đăng ký kết hôn", level="commune", detailed=True),
        ]
    )
    local = entry("9.100003", name="Đăng ký kết hôn", popularity=75, aliases=["cưới vợ"])
    import_entries(session, [local])
    session.flush()
    names = {item.code: item for item in procedure_names(session)}
    assert names["9.100001"].popularity == COMMUNE
    assert names["9.100002"].popularity == PROVINCE
    merged = names["9.100003"]
    assert (merged.name, merged.popularity) == ("Đăng ký kết hôn", 75)
    assert set(merged.aliases) == {"cưới vợ", "Thủ tục đăng ký kết hôn"}


def test_the_whole_message_beats_a_fragment_rasa_tagged(national: ProcedureResolver) -> None:
    # Rasa's span is often a piece of a long name; alone it names another procedure.
    alone = national.resolve("dang ky khai sinh").best
    assert alone is not None and alone.code == "1.001193"
    best = national.resolve("muon dang ky lai khai sinh", mention="dang ky khai sinh").best
    assert best is not None and best.code == "1.004884"


def test_short_forms_read_a_stop_word_inside_a_name_and_cut_at_ma() -> None:
    # "chữ" folds to "chu", also the particle "chứ": after "thực" it is the name's word.
    name = "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp ...)"
    assert "chung thuc chu ky" in short_forms(name)
    # "mà" opens a relative clause; "mã số" (folded "ma so") is part of a name.
    heir = "Chứng thực văn bản phân chia di sản mà di sản là động sản, quyền sử dụng đất"
    assert "chung thuc van ban phan chia di san" in short_forms(heir)
    assert short_forms("Cấp lại mã số doanh nghiệp cho hộ kinh doanh") == [
        "cap lai ma so doanh nghiep"
    ]


# (code, name, aliases, popularity): names that differ by one word or repeat words.
_EVERYDAY_ROWS = (
    ("9.200001", "Cấp hộ chiếu phổ thông", ("làm hộ chiếu",), LOCAL_FLOOR),
    ("9.200002", "Trình báo mất hộ chiếu phổ thông", ("mất hộ chiếu",), LOCAL_FLOOR),
    ("9.200003", "Thủ tục đăng ký chấm dứt giám hộ", (), COMMUNE),
    ("9.200004", "Đăng ký chấm dứt giám sát việc giám hộ", (), COMMUNE),
    ("9.200005", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
     (), LISTED),
    ("9.200006", "Đổi, cấp lại Giấy xác nhận khuyết tật", (), LISTED),
    ("3.000346", "Cấp giấy phép lái xe", (), LISTED),
    ("3.000348", "Cấp lại giấy phép lái xe", (), LISTED),
)  # fmt: skip
EVERYDAY = [ProcedureNames(*row) for row in _EVERYDAY_ROWS]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The leading verb of an alias as typed tells two aliases apart; a message reads
        # "hộ chiếu" either way.
        ("lam ho chieu het bao nhieu tien", "9.200001"),
        ("đi du lịch nước ngoài cần làm hộ chiếu, hồ sơ gồm gì", "9.200001"),
        ("bi mat ho chieu thi trinh bao o dau", "9.200002"),
        # "giám" twice in one name is not twice the evidence.
        ("cham dut giam ho bao lau xong", "9.200003"),
        ("dang ky cham dut giam sat viec giam ho", "9.200004"),
        # A pair a name repeats ("xác định, xác định lại") counts once; "lại"/"lái"
        # fold alike and are no repeat.
        ("xac dinh muc do khuyet tat lam o dau", "9.200005"),
        ("cap lai giay phep lai xe bi mat o dau", "3.000348"),
    ],
)
def test_everyday_phrasings(text: str, code: str) -> None:
    best = ProcedureResolver(EVERYDAY).resolve(text).best
    assert (best.code if best else None) == code
