"""What the simulated province handles: procedures (from the domain facts) and units.

Procedure codes and names follow the national catalog (shared/domain/FACTS.md).
Processing times marked there as unknown, and every fee amount the provincial council
sets, are plausible simulated values: this is test data, not advice to citizens.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROCEDURES", "PROCEDURES_BY_CODE", "UNITS", "FeeItem", "Procedure", "Unit"]


@dataclass(frozen=True, slots=True)
class FeeItem:
    """A fee line: name, amount in đồng, and whether it is a tax-like obligation."""

    name: str
    amount: int
    obligation: bool = False  # paid after assessment (nghĩa vụ tài chính), not at filing


@dataclass(frozen=True, slots=True)
class Procedure:
    """A procedure the units handle."""

    code: str
    name: str
    field_code: str
    field_name: str
    working_days: int
    unit_kind: str  # "ubnd" (commune people's committee), "police", "land"
    weight: int  # how common it is
    fees: tuple[FeeItem, ...] = ()
    results: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ("Bản sao giấy tờ tùy thân của người nộp hồ sơ",)


@dataclass(frozen=True, slots=True)
class Unit:
    """A receiving unit: its code (TT 10/2016/TT-BTTTT shape) and name."""

    code: str
    name: str
    kind: str
    weight: int


_HT = ("HT", "Hộ tịch")
_CT = ("CT", "Đăng ký, quản lý cư trú")
_DD = ("DD", "Đất đai")

PROCEDURES: tuple[Procedure, ...] = (
    Procedure("1.001193", "Đăng ký khai sinh", *_HT, 1, "ubnd", 14,
              results=("Giấy khai sinh (bản chính)",),
              supplements=("Giấy chứng sinh hoặc văn bản của người làm chứng",)),
    Procedure("2.000986", "Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký "
              "thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", *_HT, 3, "ubnd", 8,
              results=("Giấy khai sinh", "Thẻ bảo hiểm y tế"),
              supplements=("Tờ khai thay đổi thông tin cư trú (CT01)",)),
    Procedure("2.002622", "Liên thông các thủ tục hành chính về đăng ký khai tử, xóa đăng ký "
              "thường trú, hưởng chế độ tử tuất, trợ cấp mai táng", *_HT, 5, "ubnd", 2,
              results=("Trích lục khai tử",), supplements=("Giấy báo tử",)),
    Procedure("1.000894", "Đăng ký kết hôn", *_HT, 0, "ubnd", 5,
              results=("Giấy chứng nhận kết hôn",),
              supplements=("Giấy xác nhận tình trạng hôn nhân",)),
    Procedure("1.000656", "Đăng ký khai tử", *_HT, 1, "ubnd", 2, results=("Trích lục khai tử",),
              supplements=("Giấy báo tử hoặc giấy tờ thay giấy báo tử",)),
    Procedure("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", *_HT, 3, "ubnd", 6,
              fees=(FeeItem("Lệ phí cấp giấy xác nhận tình trạng hôn nhân", 3_000),),
              results=("Giấy xác nhận tình trạng hôn nhân",)),
    Procedure("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "CTH",
              "Chứng thực", 0, "ubnd", 12,
              fees=(FeeItem("Phí chứng thực bản sao (3 trang)", 5_000),),
              results=("Bản sao có chứng thực",),
              supplements=("Bản chính giấy tờ cần chứng thực",)),
    Procedure("1.004222", "Đăng ký thường trú", *_CT, 7, "police", 8,
              fees=(FeeItem("Lệ phí đăng ký cư trú", 20_000),),
              results=("Thông báo kết quả đăng ký thường trú",),
              supplements=("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",)),
    Procedure("1.004194", "Đăng ký tạm trú", *_CT, 3, "police", 7,
              fees=(FeeItem("Lệ phí đăng ký cư trú", 15_000),),
              results=("Thông báo kết quả đăng ký tạm trú",),
              supplements=("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",)),
    Procedure("1.012814", "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản "
              "gắn liền với đất lần đầu", *_DD, 20, "land", 4,
              fees=(FeeItem("Lệ phí cấp Giấy chứng nhận", 100_000),
                    FeeItem("Lệ phí trước bạ", 1_250_000, obligation=True)),
              results=("Giấy chứng nhận quyền sử dụng đất",),
              supplements=("Giấy tờ về nguồn gốc sử dụng đất", "Sơ đồ thửa đất")),
    Procedure("1.012765", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền "
              "với đất do chuyển nhượng, thừa kế, tặng cho", *_DD, 10, "land", 5,
              fees=(FeeItem("Lệ phí trước bạ (0,5%)", 7_500_000, obligation=True),
                    FeeItem("Thuế thu nhập cá nhân (2%)", 30_000_000, obligation=True)),
              results=("Giấy chứng nhận đã xác nhận biến động",),
              supplements=("Hợp đồng chuyển nhượng đã công chứng", "Bản gốc Giấy chứng nhận")),
    Procedure("1.013225", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "XD", "Xây dựng",
              15, "ubnd", 3, fees=(FeeItem("Lệ phí cấp giấy phép xây dựng", 75_000),),
              results=("Giấy phép xây dựng",), supplements=("Bản vẽ thiết kế xây dựng",)),
    Procedure("1.001612", "Đăng ký thành lập hộ kinh doanh", "KD", "Thành lập và hoạt động của "
              "hộ kinh doanh", 3, "ubnd", 4,
              fees=(FeeItem("Lệ phí đăng ký hộ kinh doanh", 100_000),),
              results=("Giấy chứng nhận đăng ký hộ kinh doanh",)),
    Procedure("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "KD", "Thành lập và "
              "hoạt động của hộ kinh doanh", 3, "ubnd", 2,
              fees=(FeeItem("Lệ phí đăng ký hộ kinh doanh", 50_000),),
              results=("Giấy chứng nhận đăng ký hộ kinh doanh",)),
    Procedure("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "BTXH",
              "Bảo trợ xã hội", 6, "ubnd", 2, results=("Quyết định hưởng trợ cấp xã hội",)),
    Procedure("1.010038", "Tách hộ", *_CT, 3, "police", 2,
              results=("Thông báo kết quả tách hộ",)),
    Procedure("1.010028", "Xóa đăng ký tạm trú", *_CT, 3, "police", 1,
              results=("Thông báo kết quả xóa đăng ký tạm trú",)),
    Procedure("1.003197", "Xóa đăng ký thường trú", *_CT, 3, "police", 1,
              results=("Thông báo kết quả xóa đăng ký thường trú",)),
    Procedure("1.002755", "Gia hạn tạm trú", *_CT, 3, "police", 2,
              fees=(FeeItem("Lệ phí đăng ký cư trú", 15_000),),
              results=("Thông báo kết quả gia hạn tạm trú",)),
    Procedure("1.003677", "Khai báo tạm vắng", *_CT, 1, "police", 1,
              results=("Phiếu khai báo tạm vắng",)),
    Procedure("2.001159", "Thông báo lưu trú", *_CT, 0, "police", 1,
              results=("Xác nhận thông báo lưu trú",)),
    Procedure("1.011607", "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "BTXH",
              "Bảo trợ xã hội", 7, "ubnd", 1, results=("Giấy chứng nhận hộ nghèo, hộ cận nghèo",)),
)  # fmt: skip

PROCEDURES_BY_CODE = {procedure.code: procedure for procedure in PROCEDURES}

# Khánh Hòa (H56) units after the July 2025 reorganisation (names simulated).
UNITS: tuple[Unit, ...] = (
    Unit("000.00.06.H56", "UBND phường Nha Trang", "ubnd", 5),
    Unit("000.00.07.H56", "UBND phường Bắc Nha Trang", "ubnd", 4),
    Unit("000.00.08.H56", "UBND phường Nam Nha Trang", "ubnd", 4),
    Unit("000.17.22.H56", "UBND xã Khánh Vĩnh", "ubnd", 2),
    Unit("000.30.06.H56", "Công an phường Nha Trang", "police", 4),
    Unit("000.30.22.H56", "Công an xã Khánh Vĩnh", "police", 1),
    Unit("000.20.30.H56", "Chi nhánh Văn phòng đăng ký đất đai khu vực Nha Trang", "land", 3),
)
