"""Citizens' words for what official procedure names call otherwise.

Official names say "giấy phép lái xe", "nhận cha, mẹ, con", "chuyển mục đích sử dụng
đất"; citizens say "bằng lái", "nhận con", "lên thổ cư". No alias of one procedure can
cover such words, because they recur across many procedures ("xe máy" in every vehicle
registration, "ghi chú" in every recording of a civil-status event decided abroad).
This table rewrites a message's everyday phrase into the official words before scoring;
names and local aliases are never rewritten (an alias holding a phrase of the table,
such as "xây nhà", is still matched by the official words the message becomes).

Rules for an entry (review them when adding one):
- the phrase is how citizens commonly say it, and the replacement is the words official
  names use for the same thing, not the name of one procedure;
- the phrase is long enough not to occur with another meaning ("hợp đồng" alone is
  also the official word of labour and water-supply contracts: only "chứng thực hợp
  đồng" becomes "chứng thực giao dịch");
- every entry has a development question (tests/catalog/data/resolver_dev.yml).
Phrases are folded (no diacritics), as `catalog.textnorm.tokens` reads a message.
"""

from __future__ import annotations

__all__ = ["official_words"]

_COLLOQUIAL: dict[str, str] = {
    # Vehicles: names say "xe" (of every kind), "giấy phép lái xe", "lần đầu", "sang tên".
    "xe may": "xe",
    "xe gan may": "xe",
    # ("bằng lái" is read "giấy phép lái" already, by `catalog.textnorm.tokens`.)
    "giay phep lai": "giay phep lai xe",
    "giay phep lai xe": "giay phep lai xe",
    "giay phep lai xe may": "giay phep lai xe",
    "mua xe moi": "dang ky xe lan dau",
    "xe moi mua": "xe lan dau",
    "mua xe cu": "sang ten xe",
    "mua lai xe": "sang ten xe",
    # "Cà vẹt" (from the French carte grise) and "giấy đăng ký xe" are the certificate.
    "ca vet": "chung nhan dang ky xe",
    "cavet": "chung nhan dang ky xe",
    "ca vet xe": "chung nhan dang ky xe",
    "giay dang ky xe": "chung nhan dang ky xe",
    # Passports are issued anew, never exchanged.
    "doi ho chieu": "cap ho chieu",
    # Land: "thổ cư" is residential land; "sổ" of a plot is its certificate.
    "len tho cu": "chuyen muc dich su dung dat o",
    "chuyen len dat o": "chuyen muc dich su dung dat o",
    "chuyen dat": "chuyen muc dich su dung dat",
    "tach so": "tach thua",
    "tach so ho khau": "tach so ho khau",  # a household's register, not land
    "gop so": "hop thua",
    # A certificate's error is "đính chính" (a birth certificate's: "cải chính", below).
    "dinh chinh so do": "dinh chinh giay chung nhan",
    "dinh chinh so hong": "dinh chinh giay chung nhan",
    "so do bi sai": "dinh chinh giay chung nhan",
    "so do ghi sai": "dinh chinh giay chung nhan",
    "so do bi ghi sai": "dinh chinh giay chung nhan",
    "sua sai so do": "dinh chinh giay chung nhan",
    # Land given to a child is "tặng cho quyền sử dụng đất".
    "cho dat con": "tang cho dat",
    "cho con dat": "tang cho dat",
    "cho dat cho con": "tang cho dat",
    "tang dat cho con": "tang cho dat",
    "tang cho dat cho con": "tang cho dat",
    "tang so do cho con": "tang cho dat",
    "tang cho so do cho con": "tang cho dat",
    # Civil status.
    "nhan con ruot": "nhan cha me con",
    "nhan con": "nhan cha me con",
    "nhan cha con": "nhan cha me con",
    "nhan bo con": "nhan cha me con",
    "nhan me con": "nhan cha me con",
    "nhan cha cho con": "nhan cha me con",
    "nhan me cho con": "nhan cha me con",
    "nhan con dau": "nhan con dau",  # a seal, not a child
    "nhan con nuoi": "nuoi con nuoi",
    "nhan nuoi con nuoi": "nuoi con nuoi",
    "nhan nuoi con": "nuoi con nuoi",
    "nhan nuoi": "nuoi con nuoi",
    "xin con nuoi": "nuoi con nuoi",
    "ghi chu": "ghi vao so ho tich viec",
    # A name changed is "thay đổi hộ tịch", a wrong entry corrected "cải chính hộ tịch".
    # ("sai tên" alone is not: a land certificate's is "đính chính".)
    "khai sinh bi sai": "cai chinh ho tich",
    "khai sinh sai": "cai chinh ho tich",
    "khai sinh ghi sai": "cai chinh ho tich",
    "khai sinh bi ghi sai": "cai chinh ho tich",
    "sua giay khai sinh": "cai chinh ho tich",
    "sua khai sinh": "cai chinh ho tich",
    "sai trong giay khai sinh": "cai chinh ho tich",
    "ghi sai trong giay khai sinh": "cai chinh ho tich",
    "sai ten trong giay khai sinh": "cai chinh ho tich",
    "sai ten khai sinh": "cai chinh ho tich",
    # A birth is registered for a child: "con" there is not the child of "nhận cha, mẹ, con".
    "khai sinh cho con": "khai sinh",
    "khai sinh cho be": "khai sinh",
    "khai sinh cho chau": "khai sinh",
    # A foreign spouse or parent makes it a case "có yếu tố nước ngoài".
    "voi nguoi nuoc ngoai": "co yeu to nuoc ngoai",
    "la nguoi nuoc ngoai": "co yeu to nuoc ngoai",
    "lay chong nuoc ngoai": "ket hon co yeu to nuoc ngoai",
    "lay vo nuoc ngoai": "ket hon co yeu to nuoc ngoai",
    # ... and so does a foreigner's death or birth registered here.
    "nguoi nuoc ngoai chet": "khai tu co yeu to nuoc ngoai",
    "nguoi nuoc ngoai mat": "khai tu co yeu to nuoc ngoai",
    "nguoi nuoc ngoai qua doi": "khai tu co yeu to nuoc ngoai",
    "khai tu nguoi nuoc ngoai": "khai tu co yeu to nuoc ngoai",
    "khai tu cho nguoi nuoc ngoai": "khai tu co yeu to nuoc ngoai",
    "khai sinh cho nguoi nuoc ngoai": "khai sinh co yeu to nuoc ngoai",
    "khai sinh cho con lai": "khai sinh co yeu to nuoc ngoai",
    # Residence: data in the residence database are "điều chỉnh", however citizens say it.
    "sua thong tin cu tru": "dieu chinh thong tin cu tru",
    "cap nhat thong tin cu tru": "dieu chinh thong tin cu tru",
    "sua cu tru": "dieu chinh thong tin cu tru",
    "cap nhat cu tru": "dieu chinh thong tin cu tru",
    # Identity: the VNeID account is a "tài khoản định danh điện tử", level 2 at the commune.
    # ("VNeID" alone is also the application a request is sent through: "qua VNeID".)
    "tai khoan vneid": "tai khoan dinh danh dien tu",
    "vneid muc 2": "tai khoan dinh danh dien tu muc do 2",
    "kich hoat vneid": "cap tai khoan dinh danh dien tu muc do 2",
    "lam vneid": "cap tai khoan dinh danh dien tu muc do 2",
    "dinh danh muc 2": "dinh danh dien tu muc do 2",
    "dinh danh muc do 2": "dinh danh dien tu muc do 2",
    "dinh danh dien tu muc 2": "dinh danh dien tu muc do 2",
    "kich hoat dinh danh": "cap tai khoan dinh danh dien tu muc do 2",
    "kich hoat dinh danh dien tu": "cap tai khoan dinh danh dien tu muc do 2",
    "kich hoat tai khoan dinh danh": "cap tai khoan dinh danh dien tu muc do 2",
    "lam tai khoan dinh danh": "cap tai khoan dinh danh dien tu muc do 2",
    "tao tai khoan dinh danh": "cap tai khoan dinh danh dien tu muc do 2",
    "mo tai khoan dinh danh": "cap tai khoan dinh danh dien tu muc do 2",
    "dang ky tai khoan dinh danh": "cap tai khoan dinh danh dien tu muc do 2",
    # Tax: "MST" is the "mã số thuế".
    "mst": "ma so thue",
    # A tax code is issued by "đăng ký thuế"; a child's, a dependant's ("người phụ thuộc").
    "ma so thue lan dau": "dang ky thue lan dau",
    "ma so thue cho con": "dang ky thue lan dau nguoi phu thuoc",
    "ma so thue nguoi phu thuoc": "dang ky thue lan dau nguoi phu thuoc",
    # Death: the "giấy báo tử" citizens ask the commune for is its "khai tử".
    "giay bao tu": "khai tu",
    # Identity: the card is "thẻ căn cước" since 2024, whatever it was called before.
    "can cuoc cong dan": "the can cuoc",
    "chung minh nhan dan": "the can cuoc",
    "chung minh thu": "the can cuoc",
    # Justice and defence.
    "tien an tien su": "ly lich tu phap",
    "khong tien an": "ly lich tu phap",
    "di bo doi": "nghia vu quan su",
    # Business: a household's "giấy đăng ký" is its certificate, made again "cấp lại".
    "lam lai giay dang ky": "cap lai giay chung nhan dang ky",
    # A household's "giấy phép kinh doanh" is its registration certificate too.
    "giay phep ho kinh doanh": "giay chung nhan dang ky ho kinh doanh",
    "giay phep kinh doanh ho": "giay chung nhan dang ky ho kinh doanh",
    "giay phep kinh doanh ho gia dinh": "giay chung nhan dang ky ho kinh doanh",
    "giay phep kinh doanh ho ca the": "giay chung nhan dang ky ho kinh doanh",
    "giay phep kinh doanh cua ho": "giay chung nhan dang ky ho kinh doanh",
    # ... whose details are changed, not the household registered anew.
    "sua giay chung nhan dang ky ho kinh doanh": "thay doi noi dung dang ky ho kinh doanh",
    "thay doi giay chung nhan dang ky ho kinh doanh": "thay doi noi dung dang ky ho kinh doanh",
    # Closing a household business for good ("tạm ngừng" is a pause, kept as typed).
    "giai the ho kinh doanh": "cham dut hoat dong ho kinh doanh",
    "dep ho kinh doanh": "cham dut hoat dong ho kinh doanh",
    "dong ho kinh doanh": "cham dut hoat dong ho kinh doanh",
    "ngung ho kinh doanh": "cham dut hoat dong ho kinh doanh",
    "tam ngung ho kinh doanh": "tam ngung ho kinh doanh",
    "hoat dong ho kinh doanh": "hoat dong ho kinh doanh",
    "ho kd": "ho kinh doanh",
    # Opening a company is "thành lập"; a "công ty tư nhân" is a "doanh nghiệp tư nhân".
    "cong ty tu nhan": "doanh nghiep tu nhan",
    "mo doanh nghiep": "thanh lap doanh nghiep",
    "mo cong ty": "thanh lap cong ty",
    # Attestation: what citizens call a contract, the names call a transaction.
    "chung thuc hop dong": "chung thuc giao dich",
    "hop dong da chung thuc": "giao dich da chung thuc",
    # Construction: a family's house is "nhà ở riêng lẻ"; building it is "xây dựng".
    "xay nha": "xay dung nha o",
    "lam nha": "xay dung nha o",
    "cat nha": "xay dung nha o",
    "sua nha": "sua chua cai tao nha o",
    "coi noi nha": "cai tao nha o",
    # Social protection: funeral support is "hỗ trợ chi phí mai táng" ("mai táng phí" is
    # the word of veterans' names, kept); a martyr's parent or child is his "thân nhân"
    # ("vợ liệt sĩ" is kept: a widow's remarriage is a procedure of its own; "sĩ" is read
    # "sỹ", `catalog.textnorm.tokens`).
    "ho tro mai tang": "ho tro chi phi mai tang",
    "tien mai tang": "chi phi mai tang",
    "tien mai tang phi": "mai tang phi",
    "me liet sy": "than nhan liet sy",
    "bo liet sy": "than nhan liet sy",
    "cha liet sy": "than nhan liet sy",
    "con liet sy": "than nhan liet sy",
    # Social insurance.
    "tien tuat": "tro cap tuat",
    "bao hiem that nghiep": "tro cap that nghiep",
}

# Said of a spouse or parent: "là người Hàn", "kết hôn với người Đài Loan", "quốc tịch Mỹ",
# "Việt kiều" (a Vietnamese settled abroad is a foreign element for civil status too).
# Not "Anh", "Thái", "Lào", "Tày": "là người anh" is a brother, Thái and Tày are Vietnamese
# ethnic groups, "người lao động" a worker.
_NATIONS = (
    "han", "han quoc", "trieu tien", "nhat", "nhat ban", "trung quoc", "dai loan", "hong kong",
    "my", "hoa ky", "uc", "phap", "duc", "nga", "canada", "campuchia", "thai lan",
    "singapore", "malaysia", "indonesia", "philippines", "an do", "ha lan",
)  # fmt: skip
_KIN = ("chong", "vo", "bo", "me", "cha")  # "chồng người Hàn"
_COLLOQUIAL |= {f"{kin} nguoi nuoc ngoai": "co yeu to nuoc ngoai" for kin in _KIN}
_COLLOQUIAL |= {
    f"{before} {nation}": "co yeu to nuoc ngoai"
    for before in ("la nguoi", "voi nguoi", "quoc tich", *(f"{kin} nguoi" for kin in _KIN))
    for nation in _NATIONS
}
_COLLOQUIAL |= {f"{before} viet kieu": "co yeu to nuoc ngoai" for before in ("la", "voi")}
_COLLOQUIAL |= {
    f"lay {spouse} {nation}": "ket hon co yeu to nuoc ngoai"
    for spouse in ("chong", "vo", "chong nguoi", "vo nguoi")
    for nation in (*_NATIONS, "viet kieu")
}

# Land divided among the children is split into plots: "chia đất cho các con".
_COLLOQUIAL |= {
    f"{verb} {who}": "tach thua dat"
    for verb in ("chia dat", "chia so", "tach so", "tach dat", "tach thua")
    for who in ("cho con", "cho cac con", "cho con cai", "cho con trai", "cho con gai")
}
# "đổi tên cho con", "sửa họ trong giấy khai sinh": a name changed is "thay đổi hộ tịch".
_COLLOQUIAL |= {
    f"{verb} {name} {whose}": "thay doi ho tich"
    for verb in ("doi", "sua", "thay doi", "thay")
    for name in ("ten", "ho", "ho ten", "ten dem")
    for whose in ("cho con", "con", "cho be", "cho chau", "trong giay khai sinh", "khai sinh")
}

_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(phrase.split()): tuple(official.split()) for phrase, official in _COLLOQUIAL.items()
}
_LONGEST = max(len(phrase) for phrase in _PHRASES)


def official_words(tokens: list[str]) -> list[str]:
    """`tokens` (folded) with every everyday phrase replaced by the official words, the
    longest phrase first ("nhận con nuôi" before "nhận con"); twice, so that a phrase
    made by the first pass is read too ("mua xe máy mới" is "mua xe mới")."""
    return _rewritten(_rewritten(tokens))


def _rewritten(tokens: list[str]) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(tokens):
        for size in range(min(_LONGEST, len(tokens) - index), 0, -1):
            official = _PHRASES.get(tuple(tokens[index : index + size]))
            if official is not None:
                out.extend(official)
                index += size
                break
        else:
            out.append(tokens[index])
            index += 1
    return out
