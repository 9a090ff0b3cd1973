# The synthetic-frame library, shared by the camera tests and bench/camera (whichever is
# configured first defines it).
if(NOT TARGET muster_camera_scenes)
  add_library(muster_camera_scenes STATIC ${CMAKE_CURRENT_LIST_DIR}/qr_scene.cpp)
  target_include_directories(muster_camera_scenes PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(muster_camera_scenes PUBLIC muster_kiosk_camera PRIVATE ZXing::ZXing)
  muster_warnings(muster_camera_scenes)
endif()
