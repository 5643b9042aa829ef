/**
 * Word lists for realistic minutes: Vietnamese names, places, reasons for absence and the sentences
 * members say. Plain data; everything random is chosen in content.ts and write.ts.
 */

export const FAMILY_NAMES = [
  "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
  "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lương", "Trương", "Mai", "Cao", "Lò", "Vi",
  "Lộc", "Hà", "Tạ", "Kiều", "Quách",
] as const;

export const MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Công", "Xuân", "Thanh", "Đình", "Ngọc", "Mạnh", "Tiến", "Bá", "Trọng"] as const;
export const MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Minh", "Hồng", "Bích", "Phương", "Diệu", "Mỹ"] as const;

export const GIVEN_MALE = [
  "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng",
  "Tuấn", "Việt", "Hiếu", "Đạt", "Trung", "Lộc", "Thành", "Toàn", "Hưng", "Khoa", "Tùng", "Vinh", "Đông", "Quý",
  "Nghĩa", "Thịnh", "Bảo", "Tài", "Hoàng", "Kiên", "Lực", "Phúc",
] as const;
export const GIVEN_FEMALE = [
  "Hoa", "Hương", "Lan", "Mai", "Nga", "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Yến", "Hằng", "Hạnh",
  "Linh", "Loan", "Huyền", "Thúy", "Hường", "Dung", "Liên", "Xuân", "Ngọc", "Vân", "Giang", "Quyên", "Thủy",
] as const;

/** A commune or ward: the superior committee's and the cells' names, and where they meet. */
export interface Locality {
  kind: "xã" | "phường" | "thị trấn";
  name: string;
  /** sub-units: villages (thôn, bản) or residential groups (tổ dân phố, khu phố) */
  units: readonly string[];
}

export const LOCALITIES: readonly Locality[] = [
  { kind: "xã", name: "Thanh Bình", units: ["thôn Đông Hòa", "thôn Tây Sơn", "thôn Trung Lập"] },
  { kind: "xã", name: "Tân Phú", units: ["thôn Phú Mỹ", "thôn Tân Lập", "thôn An Lạc"] },
  { kind: "xã", name: "Yên Lạc", units: ["thôn Yên Phú", "thôn Đồng Tâm", "thôn Cổ Điển"] },
  { kind: "xã", name: "Quỳnh Hậu", units: ["xóm Hậu Luật", "xóm Phú Nghĩa", "xóm Đồng Tiến"] },
  { kind: "xã", name: "Châu Kim", units: ["bản Na Cày", "bản Piềng Cu", "bản Khủn Na"] },
  { kind: "xã", name: "Hạnh Dịch", units: ["bản Mường Piệt", "bản Cộng", "bản Pục"] },
  { kind: "xã", name: "Tiền Phong", units: ["bản Tà Pàn", "bản Mường Hinh", "bản Huổi Muồng"] },
  { kind: "xã", name: "Xuân Trường", units: ["thôn Xuân Thành", "thôn Lạc Thiện", "thôn Hòa Bình"] },
  { kind: "xã", name: "Cẩm Thủy", units: ["thôn Cẩm Hoa", "thôn Bái Thủy", "thôn Đồng Chạ"] },
  { kind: "phường", name: "Hòa Khánh", units: ["tổ dân phố số 5", "tổ dân phố số 12", "khu phố Hòa Mỹ"] },
  { kind: "phường", name: "Phú Lâm", units: ["khu phố 3", "khu phố 7", "tổ dân phố Lâm Hạ"] },
  { kind: "phường", name: "Quang Trung", units: ["tổ dân phố số 2", "tổ dân phố số 9", "khu phố Trung Hòa"] },
  { kind: "phường", name: "Bến Thành", units: ["khu phố 1", "khu phố 4", "tổ dân phố số 16"] },
  { kind: "thị trấn", name: "Kim Sơn", units: ["tổ dân phố Bắc Sơn", "tổ dân phố Nam Hải", "tổ dân phố Kim Đông"] },
];

/** Cells that are not tied to a village: schools, health stations, the commune's police. */
export const INSTITUTION_CELLS = [
  { cell: "Trường Tiểu học {L}", room: "Phòng họp Trường Tiểu học {L}" },
  { cell: "Trường Trung học cơ sở {L}", room: "Phòng hội đồng Trường Trung học cơ sở {L}" },
  { cell: "Trường Mầm non {L}", room: "Phòng họp Trường Mầm non {L}" },
  { cell: "Trạm Y tế {K} {L}", room: "Phòng họp Trạm Y tế {K} {L}" },
  { cell: "Công an {K} {L}", room: "Hội trường Công an {K} {L}" },
  { cell: "Quân sự {K} {L}", room: "Phòng làm việc Ban Chỉ huy Quân sự {K} {L}" },
  { cell: "Cơ quan Ủy ban nhân dân {K} {L}", room: "Hội trường Ủy ban nhân dân {K} {L}" },
] as const;

export const UNIT_ROOMS = ["Nhà văn hóa {U}", "Nhà sinh hoạt cộng đồng {U}", "Hội trường {U}", "Nhà văn hóa {U}"] as const;

export const EXCUSED_REASONS = [
  "đi công tác", "ốm", "việc gia đình", "đi học", "nằm viện", "đi làm ăn xa", "ốm đau", "có việc gia đình",
  "đi tập huấn", "chăm người nhà ốm", "trực cơ quan", "nghỉ sinh",
] as const;

export const CHAIR_ROLES = ["Bí thư chi bộ", "Bí thư chi bộ", "Bí thư chi bộ", "Phó Bí thư chi bộ"] as const;
export const SECRETARY_ROLES = ["Chi ủy viên", "đảng viên", "Phó Bí thư chi bộ", ""] as const;
export const SUPERIOR_ROLES = [
  "Đảng ủy viên, phụ trách chi bộ", "Phó Bí thư Đảng ủy", "Ủy viên Ban Thường vụ Đảng ủy", "Đảng ủy viên",
  "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy",
] as const;

export const TOPICS = [
  "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần trách nhiệm của người đảng viên",
  "Chuyển đổi số trong hoạt động của chi bộ và sử dụng ứng dụng Sổ tay đảng viên điện tử",
  "Phòng, chống tham nhũng, lãng phí, tiêu cực ở cơ sở",
  "Nâng cao vai trò nêu gương của cán bộ, đảng viên nơi cư trú",
  "Xây dựng nông thôn mới kiểu mẫu gắn với bảo vệ môi trường",
  "Đảm bảo an ninh trật tự, phòng chống tội phạm ma túy trên địa bàn",
  "Công tác phát triển đảng viên trong đoàn viên thanh niên",
  "Thực hiện Quy định về những điều đảng viên không được làm",
] as const;

export const RESULTS = [
  "Chi bộ đã lãnh đạo hoàn thành việc thu hoạch vụ mùa, năng suất đạt khá.",
  "Công tác vệ sinh môi trường, thu gom rác thải được duy trì thường xuyên.",
  "Tình hình an ninh chính trị, trật tự an toàn xã hội ổn định, không xảy ra vụ việc phức tạp.",
  "Các đoàn thể hoạt động có nền nếp; đã tổ chức thành công ngày hội Đại đoàn kết toàn dân tộc.",
  "Việc thu nộp đảng phí đầy đủ, đúng quy định.",
  "Đã vận động 12 hộ tham gia bảo hiểm y tế hộ gia đình.",
  "Hoàn thành việc rà soát hộ nghèo, hộ cận nghèo năm 2026.",
  "Tổ chức tốt lễ khai giảng và các hoạt động đầu năm học.",
  "Một số đảng viên chưa tham gia đầy đủ các buổi sinh hoạt tổ dân phố.",
  "Công tác tuyên truyền phòng chống dịch bệnh cho gia súc, gia cầm còn chậm.",
] as const;

export const TASKS = [
  "Tiếp tục chỉ đạo thu hoạch và chuẩn bị cho sản xuất vụ đông.",
  "Tuyên truyền, vận động nhân dân chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
  "Duy trì tổng vệ sinh môi trường vào sáng chủ nhật hằng tuần.",
  "Đôn đốc đảng viên cài đặt và sử dụng ứng dụng Sổ tay đảng viên điện tử.",
  "Chuẩn bị tốt công tác đánh giá, xếp loại chất lượng đảng viên cuối năm.",
  "Tăng cường tuần tra, giữ gìn an ninh trật tự trên địa bàn.",
  "Hoàn thành thu quỹ phòng, chống thiên tai trước ngày 30.",
  "Giới thiệu quần chúng ưu tú để chi bộ xem xét kết nạp Đảng.",
  "Vận động nhân dân tham gia hiến đất mở rộng đường giao thông nông thôn.",
] as const;

export const OPINIONS = [
  "Nhất trí với báo cáo đánh giá kết quả tháng qua; đề nghị chi bộ quan tâm hơn đến công tác vệ sinh môi trường trong khu dân cư.",
  "Đề nghị chi ủy đôn đốc các hộ hoàn thành việc nộp quỹ phòng, chống thiên tai đúng thời hạn.",
  "Tình hình an ninh trật tự cơ bản ổn định, tuy nhiên cần tăng cường tuần tra vào ban đêm, nhất là khu vực giáp ranh.",
  "Đề nghị bổ sung vào nghị quyết nội dung vận động nhân dân tham gia bảo hiểm y tế hộ gia đình.",
  "Việc sử dụng ứng dụng Sổ tay đảng viên điện tử còn chậm, đề nghị chi ủy phân công đảng viên trẻ hướng dẫn các đồng chí lớn tuổi.",
  "Tôi nhất trí với dự thảo nghị quyết. Đề nghị làm rõ trách nhiệm của từng đảng viên trong việc vận động hiến đất làm đường.",
  "Một số đảng viên chưa gương mẫu trong việc phân loại rác tại nguồn, đề nghị chi bộ nhắc nhở.",
  "Đề nghị chi bộ biểu dương các đồng chí đã tích cực tham gia phòng chống bão lũ vừa qua.",
  "Cần quan tâm công tác phát triển đảng viên, nhất là trong lực lượng đoàn viên thanh niên.",
  "Nội dung chuyên đề thiết thực; đề nghị mỗi đảng viên đăng ký việc làm cụ thể để thực hiện.",
  "Giá phân bón tăng cao, đề nghị chi bộ đề xuất với Đảng ủy hỗ trợ bà con vay vốn sản xuất.",
  "Đề nghị đưa tiêu chí thực hiện nếp sống văn minh trong việc cưới, việc tang vào nghị quyết tháng tới.",
  "Tôi thống nhất với phương hướng nhiệm vụ tháng tới, tuy nhiên chỉ tiêu thu quỹ cần phù hợp với điều kiện của nhân dân.",
  "Phê bình đồng chí vắng sinh hoạt không có lý do; đề nghị chi ủy gặp gỡ, nhắc nhở.",
  "Đề nghị tổ chức họp dân để phổ biến kế hoạch chuyển đổi cơ cấu cây trồng.",
  "Công tác chăm lo cho hộ nghèo, gia đình chính sách cần được duy trì thường xuyên, không chỉ vào dịp lễ, tết.",
  "Đề nghị chi bộ chỉ đạo Chi hội Phụ nữ tổ chức tuyên truyền phòng, chống bạo lực gia đình.",
  "Tôi đề nghị rà soát lại danh sách hộ cận nghèo, tránh bỏ sót.",
] as const;

export const CONCLUSIONS = [
  "Chi bộ thống nhất đánh giá kết quả thực hiện nhiệm vụ tháng qua và phương hướng nhiệm vụ tháng tới như dự thảo, có bổ sung các ý kiến đóng góp.",
  "Đồng chí chủ trì tiếp thu các ý kiến, giao chi ủy hoàn chỉnh nghị quyết và phân công đảng viên phụ trách từng nhiệm vụ.",
  "Chi bộ thống nhất các nội dung đã thảo luận; yêu cầu mỗi đảng viên gương mẫu thực hiện và vận động gia đình, nhân dân cùng thực hiện.",
  "Chủ trì kết luận: các ý kiến đều xác đáng, chi ủy sẽ tiếp thu đưa vào nghị quyết; giao các đồng chí chi ủy viên theo dõi, đôn đốc.",
] as const;
