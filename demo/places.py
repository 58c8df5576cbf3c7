"""What the demonstration city knows of each district: place names and roads to name and address
buildings plausibly, how its economy leans (tenants by GB/T 4754-2017 section), how its tax grows
and how full its buildings are. A picture for demonstrations, not statistics: the numbers are
chosen so that districts differ as the real ones do (finance and R&D heavy in 工业园区, services
in 姑苏, trade and logistics in the port towns) and rankings and warnings mean something."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DistrictProfile:
    """One district as the demonstration city draws it."""

    district_id: str
    places: tuple[str, ...]
    roads: tuple[str, ...]
    # 亿元楼宇 in the city's first year: Annex 1's cumulative targets for 2023 (87 in all).
    over_100m: int
    promotions: int  # promotion events a year: Annex 1's 2023 targets
    growth: float  # the district's yearly tax growth, before each building's own
    occupancy: float  # a typical building's occupied share of its leasable area
    sections: dict[str, int]  # GB/T 4754-2017 section → weight among its tenants
    # Where its office buildings gather (lng, lat; CGCS2000 degrees): its business centres, each
    # drawing buildings around it (demo.placing keeps every one inside the district's boundary).
    hubs: tuple[tuple[float, float], ...] = ()


PROFILES: tuple[DistrictProfile, ...] = (
    DistrictProfile(
        "zhangjiagang",
        ("沙洲", "暨阳", "港城", "长江", "杨舍", "金港"),
        ("沙洲中路", "暨阳湖路", "人民中路", "长安南路", "港城大道", "国泰北路"),
        over_100m=8,
        promotions=8,
        growth=0.035,
        occupancy=0.82,
        sections={"F": 30, "G": 22, "J": 10, "L": 10, "M": 8, "I": 8, "C": 12},
        hubs=((120.550, 31.870), (120.420, 31.950)),
    ),
    DistrictProfile(
        "changshu",
        ("虞山", "琴川", "尚湖", "海虞", "昭文", "常福"),
        ("海虞北路", "黄河路", "世纪大道", "金沙江路", "湘江路", "琴川路"),
        over_100m=3,
        promotions=3,
        growth=0.02,
        occupancy=0.79,
        sections={"F": 32, "C": 18, "L": 12, "J": 10, "M": 10, "I": 8, "R": 10},
        hubs=((120.750, 31.655), (120.800, 31.630)),
    ),
    DistrictProfile(
        "taicang",
        ("娄东", "港区", "弇山", "半泾", "科教新城", "郑和"),
        ("上海东路", "郑和中路", "北京西路", "娄江路", "半泾南路", "太平北路"),
        over_100m=3,
        promotions=3,
        growth=0.04,
        occupancy=0.8,
        sections={"G": 28, "F": 26, "C": 14, "J": 10, "M": 12, "I": 10},
        hubs=((121.110, 31.455), (121.220, 31.620)),
    ),
    DistrictProfile(
        "kunshan",
        ("花桥", "玉山", "前进", "阳澄湖", "淀山湖", "祖冲之"),
        ("前进中路", "祖冲之路", "花安路", "光明路", "柏庐南路", "绿地大道"),
        over_100m=5,
        promotions=10,
        growth=0.05,
        occupancy=0.84,
        sections={"C": 20, "F": 24, "I": 16, "J": 12, "M": 14, "L": 8, "G": 6},
        hubs=((120.960, 31.385), (121.110, 31.305), (121.000, 31.350)),
    ),
    DistrictProfile(
        "wujiang",
        ("松陵", "太湖新城", "盛泽", "汾湖", "东太湖", "鲈乡"),
        ("中山南路", "开平路", "仲英大道", "鲈乡南路", "长安路", "江兴东路"),
        over_100m=4,
        promotions=7,
        growth=-0.01,
        occupancy=0.74,
        sections={"C": 22, "F": 30, "L": 12, "J": 8, "M": 10, "I": 8, "R": 10},
        hubs=((120.645, 31.165), (120.650, 30.925)),
    ),
    DistrictProfile(
        "wuzhong",
        ("太湖", "东吴", "吴中", "苏州湾", "宝带", "越溪"),
        ("东吴北路", "宝带西路", "吴中大道", "长蠡路", "越湖路", "南湖路"),
        over_100m=4,
        promotions=10,
        growth=0.03,
        occupancy=0.8,
        sections={"I": 22, "M": 20, "F": 18, "L": 14, "J": 10, "R": 8, "C": 8},
        hubs=((120.630, 31.265), (120.505, 31.265)),
    ),
    DistrictProfile(
        "xiangcheng",
        ("高铁新城", "元和", "阳澄", "相城", "黄桥", "漕湖"),
        ("南天成路", "相城大道", "澄阳路", "华元路", "嘉元路", "高铁新城大道"),
        over_100m=14,
        promotions=6,
        growth=0.07,
        occupancy=0.78,
        sections={"I": 24, "F": 22, "M": 16, "J": 14, "L": 12, "G": 12},
        hubs=((120.640, 31.420), (120.635, 31.380)),
    ),
    DistrictProfile(
        "gusu",
        ("观前", "平江", "石路", "盘门", "干将", "桐泾"),
        ("干将西路", "人民路", "十全街", "三香路", "广济南路", "景德路"),
        over_100m=3,
        promotions=6,
        growth=0.015,
        occupancy=0.86,
        sections={"L": 18, "H": 14, "R": 14, "F": 18, "J": 12, "M": 12, "O": 12},
        hubs=((120.626, 31.311), (120.598, 31.316), (120.611, 31.330)),
    ),
    DistrictProfile(
        "sip",
        ("金鸡湖", "东方之门", "独墅湖", "月亮湾", "湖东", "苏州中心"),
        ("苏州大道东", "星海街", "旺墩路", "现代大道", "星湖街", "翠薇街"),
        over_100m=40,
        promotions=12,
        growth=0.06,
        occupancy=0.88,
        sections={"J": 30, "M": 26, "I": 18, "L": 8, "F": 10, "R": 8},
        hubs=((120.675, 31.318), (120.715, 31.320), (120.740, 31.265)),
    ),
    DistrictProfile(
        "huqiu",
        ("狮山", "科技城", "浒墅关", "枫桥", "太湖科学城", "何山"),
        ("狮山路", "长江路", "科灵路", "竹园路", "滨河路", "金山路"),
        over_100m=3,
        promotions=12,
        growth=0.045,
        occupancy=0.81,
        sections={"M": 28, "I": 26, "C": 14, "F": 12, "J": 10, "L": 10},
        hubs=((120.570, 31.300), (120.440, 31.330)),
    ),
)

# What a building is called after its place: the many ways Suzhou names its office towers.
SUFFIXES = (
    "国际金融中心",
    "大厦",
    "广场",
    "商务中心",
    "科技园",
    "国际大厦",
    "中心",
    "金融港",
    "创新中心",
    "总部大楼",
)


def profile(district_id: str) -> DistrictProfile:
    """The profile of one district."""
    return next(p for p in PROFILES if p.district_id == district_id)
