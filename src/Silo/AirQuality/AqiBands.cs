using Resilience.Silo.Api;

namespace Resilience.Silo.AirQuality;

/// <summary>VN_AQI bands (Bảng 1) with colours and advice for the public in Vietnamese and English (Bảng 4/5, in brief).</summary>
internal static class AqiBands
{
    private static readonly BandView[] s_bands =
    [
        new("good", "Tốt", "Good", "#00E400",
            "Chất lượng không khí tốt. Tự do hoạt động ngoài trời.",
            "Air quality is good. Outdoor activity is fine for everyone."),
        new("moderate", "Trung bình", "Moderate", "#FFFF00",
            "Chấp nhận được. Người nhạy cảm nên theo dõi triệu chứng như ho, khó thở.",
            "Acceptable. Sensitive people should watch for symptoms such as coughing or shortness of breath."),
        new("poor", "Kém", "Poor", "#FF7E00",
            "Người nhạy cảm nên giảm hoạt động mạnh và thời gian ở ngoài trời; người có triệu chứng nên hạn chế ra ngoài.",
            "Sensitive groups should cut strenuous activity and time outdoors; anyone with symptoms should reduce outdoor activity."),
        new("bad", "Xấu", "Bad", "#FF0000",
            "Mọi người nên giảm hoạt động mạnh, ở trong nhà nhiều hơn; người nhạy cảm nên ở trong nhà, đeo khẩu trang khi ra ngoài.",
            "Everyone should reduce strenuous activity and stay indoors more; sensitive groups should stay indoors and wear a mask outside."),
        new("very-bad", "Rất xấu", "Very bad", "#8F3F97",
            "Cảnh báo sức khỏe: hạn chế tối đa hoạt động ngoài trời, đeo khẩu trang; người nhạy cảm ở trong nhà.",
            "Health warning: keep outdoor activity to a minimum and wear a mask; sensitive groups should stay indoors."),
        new("hazardous", "Nguy hại", "Hazardous", "#7E0023",
            "Khẩn cấp về sức khỏe: mọi người ở trong nhà, đóng cửa; đeo khẩu trang nếu phải ra ngoài.",
            "Health emergency: everyone should stay indoors with doors and windows shut, and wear a mask if going out."),
    ];

    /// <summary>The band of a VN_AQI value.</summary>
    public static BandView For(int aqi) => aqi switch
    {
        <= 50 => s_bands[0],
        <= 100 => s_bands[1],
        <= 150 => s_bands[2],
        <= 200 => s_bands[3],
        <= 300 => s_bands[4],
        _ => s_bands[5],
    };
}
