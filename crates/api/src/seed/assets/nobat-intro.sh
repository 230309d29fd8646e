#!/bin/sh
# Makes nobat-intro.mp4 (5 s, 640x360, 24 fps, H.264 Main, no audio) from ffmpeg's own generated
# sources only; tested with Debian 12's ffmpeg 5.1. Run from this directory. The output is
# byte-for-byte reproducible with the same ffmpeg/x264 build (-threads 1, bitexact).
set -e
ffmpeg -y -hide_banner -loglevel error \
 -f lavfi -i "gradients=s=640x360:r=24:d=5:c0=0x2f7fc1:c1=0xbfe3f5:x0=320:y0=0:x1=320:y1=300:nb_colors=2:speed=0.0001" \
 -f lavfi -i "color=c=white:s=220x90:r=24:d=5,format=rgba,geq=r=255:g=255:b=255:a='255*clip(6*max(max(1-hypot((X-70)/48\,(Y-58)/22)\,1-hypot((X-118)/52\,(Y-44)/32))\,1-hypot((X-165)/38\,(Y-60)/18))\,0\,1)'" \
 -f lavfi -i "color=c=0xffd54f:s=96x96:r=24:d=5,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='255*clip(40.5-hypot(X-48,Y-48),0,1)'" \
 -f lavfi -i "color=c=black:s=24x60:r=24:d=5,format=rgba,geq=r='if(lt(Y\,19)\,224\,29)':g='if(lt(Y\,19)\,172\,53)':b='if(lt(Y\,19)\,105\,87)':a='255*if(lt(Y\,19)\,clip(8.5-hypot(X-12\,Y-10)\,0\,1)\,clip(10.5-hypot(X-12\,max(30-Y\,0))\,0\,1))'" \
 -f lavfi -i "color=c=0xf2c14e:s=640x10:r=24:d=5" \
 -filter_complex "\
[0:v][2:v]overlay=x=36:y='64-t*8':eval=frame,\
drawbox=x=0:y=296:w=640:h=64:color=0x3f9b4b:t=fill,\
drawbox=x=0:y=296:w=640:h=6:color=0x2e7d32:t=fill,\
drawbox=x=150:y=104:w=340:h=16:color=0x0e6b45:t=fill,\
drawbox=x=160:y=120:w=320:h=176:color=0xf4f1ea:t=fill,\
drawbox=x=286:y=60:w=68:h=40:color=0x102a43:t=fill,\
drawbox=x=300:y=100:w=4:h=4:color=0x102a43:t=fill,\
drawbox=x=336:y=100:w=4:h=4:color=0x102a43:t=fill,\
drawbox=x=292:y=66:w=56:h=8:color=0x2ecc71:t=fill:enable='gte(t,1)',\
drawbox=x=292:y=78:w=44:h=8:color=0xf2c14e:t=fill:enable='gte(t,2)',\
drawbox=x=292:y=90:w=50:h=6:color=0xffffff:t=fill:enable='gte(t,3)',\
drawbox=x=290:y=226:w=60:h=70:color=0x7a4b2a:t=fill,\
drawbox=x=318:y=226:w=4:h=70:color=0x5a3720:t=fill,\
drawbox=x=180:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=240:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=300:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=360:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=420:y=140:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=180:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=240:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=300:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=360:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=420:y=186:w=40:h=34:color=0x9cc9e6:t=fill,\
drawbox=x=180:y=140:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,0.6)',\
drawbox=x=300:y=140:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,1.2)',\
drawbox=x=420:y=186:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,1.8)',\
drawbox=x=240:y=186:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,2.4)',\
drawbox=x=360:y=140:w=40:h=34:color=0xf2c14e:t=fill:enable='gte(t,3.0)',\
drawbox=x=40:y=250:w=16:h=46:color=0x6d4c41:t=fill,\
drawbox=x=20:y=200:w=56:h=56:color=0x2e8b57:t=fill,\
drawbox=x=584:y=250:w=16:h=46:color=0x6d4c41:t=fill,\
drawbox=x=564:y=200:w=56:h=56:color=0x2e8b57:t=fill[scene];\
[scene][1:v]overlay=x='360+t*50':y=4:eval=frame[c1];\
[c1][3:v]overlay=x='-20+min(t,3.4)*92':y=238:eval=frame[c2];\
[c2][4:v]overlay=x='-640+640*t/5':y=350:eval=frame,\
fade=t=in:st=0:d=0.5,fade=t=out:st=4.4:d=0.6,format=yuv420p[out]" \
 -map "[out]" -t 5 -an -c:v libx264 -preset veryslow -tune animation -crf 26 -profile:v main -level 3.1 -pix_fmt yuv420p -threads 1 -movflags +faststart -fflags +bitexact -flags:v +bitexact -map_metadata -1 nobat-intro.mp4
